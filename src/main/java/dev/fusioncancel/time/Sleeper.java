package dev.fusioncancel.time;

import java.time.Duration;

/** Waits; injected so that backoff and polling tests run instantly against a fake clock. */
@FunctionalInterface
public interface Sleeper {
  /** Blocks for the duration (or returns at once for zero or negative durations). */
  void sleep(Duration duration) throws InterruptedException;

  /** The real thing: {@link Thread#sleep}. */
  Sleeper SYSTEM =
      duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
          Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
      };
}
