package dev.fusioncancel.bulk;

import java.time.Duration;

/**
 * Sizes the bulk worker pool from the latency calls really take (Little's law: calls in flight =
 * call rate x latency), so the per-location budget, not the pool, bounds throughput, whether the
 * API answers in 50 ms or has a heavy tail. Keeps a running mean of observed call latency; the size
 * has a margin for variance and is capped by a memory bound (every worker is a thread with its
 * stack and an in-flight response).
 */
public final class PoolSizing {
  /** Workers beyond the mean need: latency varies, and a worker also waits for its permit. */
  public static final double MARGIN = 2.0;

  /** Never more workers than this, whatever the memory. */
  public static final int HARD_MAX = 128;

  /** Memory counted per worker: its thread stack (touched part) and an in-flight response. */
  public static final long BYTES_PER_WORKER = 2L << 20;

  /** The latency assumed before anything was observed (then the observations take over). */
  public static final Duration INITIAL = Duration.ofMillis(200);

  /** Weight of each new observation in the running mean (about the last 50 calls count). */
  static final double WEIGHT = 0.02;

  private double meanNanos = INITIAL.toNanos();
  private long observed;

  /** Records how long one call took. */
  public synchronized void observe(Duration latency) {
    double nanos = Math.max(0, latency.toNanos());
    observed++;
    // The first observations replace the assumption quickly (plain mean until 1/WEIGHT calls).
    double w = Math.max(WEIGHT, 1.0 / observed);
    meanNanos += w * (nanos - meanNanos);
  }

  /** How many calls were observed. */
  public synchronized long observations() {
    return observed;
  }

  /** The mean call latency observed so far ({@link #INITIAL} before the first call). */
  public synchronized Duration meanLatency() {
    return Duration.ofNanos((long) meanNanos);
  }

  /**
   * Workers needed to keep {@code callsPerSecond} in flight at {@code latency}, with {@link
   * #MARGIN}, at least {@code min} and at most {@code max}.
   */
  public static int workers(double callsPerSecond, Duration latency, int min, int max) {
    double inFlight = callsPerSecond * latency.toNanos() / 1e9;
    int needed = (int) Math.ceil(inFlight * MARGIN);
    return Math.max(min, Math.min(max, needed));
  }

  /** The most workers a heap of {@code maxMemoryBytes} allows: {@link #BYTES_PER_WORKER} each. */
  public static int memoryBound(long maxMemoryBytes) {
    return (int) Math.max(1, Math.min(HARD_MAX, maxMemoryBytes / BYTES_PER_WORKER));
  }

  /** The memory bound of this JVM. */
  public static int memoryBound() {
    return memoryBound(Runtime.getRuntime().maxMemory());
  }
}
