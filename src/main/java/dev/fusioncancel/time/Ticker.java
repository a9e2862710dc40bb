package dev.fusioncancel.time;

/**
 * Monotonic time for every elapsed-time decision (retry deadlines, budget refill, a run's hard
 * stop), kept apart from the wall clock used for timestamps, as gax keeps {@code
 * ApiClock.nanoTime()} apart from {@code millisTime()}: a wall clock that steps back must never
 * stall a limiter or stretch a deadline.
 */
@FunctionalInterface
public interface Ticker {
  /** Nanoseconds from an arbitrary origin; only differences mean anything. */
  long nanoTime();

  /** The real thing: {@link System#nanoTime}. */
  Ticker SYSTEM = System::nanoTime;
}
