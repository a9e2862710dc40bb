package dev.fusioncancel.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: the delay after failed attempt {@code n} is uniform in
 * {@code [0, min(maxDelay, initial * multiplier^(n-1))]}. Full jitter spreads the retries of the
 * bulk function's many threads, which all fail together when the API sheds load, so they do not
 * come back in lockstep.
 */
public final class ExponentialBackoff {
  private final Duration initialDelay;
  private final double multiplier;
  private final Duration maxDelay;
  private final DoubleSupplier jitter;

  /**
   * @param jitter values in {@code [0, 1]} (out-of-range values are clamped); inject a constant for
   *     deterministic tests, {@code ThreadLocalRandom.current()::nextDouble} in production
   */
  public ExponentialBackoff(
      Duration initialDelay, double multiplier, Duration maxDelay, DoubleSupplier jitter) {
    if (initialDelay.isNegative() || maxDelay.isNegative() || !(multiplier >= 1.0)) {
      throw new IllegalArgumentException("delays must be >= 0 and the multiplier >= 1.0");
    }
    this.initialDelay = initialDelay;
    this.multiplier = multiplier;
    this.maxDelay = maxDelay;
    this.jitter = jitter;
  }

  /** The backoff that {@code settings} describe. */
  public static ExponentialBackoff of(RetrySettings settings, DoubleSupplier jitter) {
    return new ExponentialBackoff(
        settings.initialRetryDelay(),
        settings.retryDelayMultiplier(),
        settings.maxRetryDelay(),
        jitter);
  }

  /** The delay ceiling after failed attempt {@code attempt} (1-based), before jitter. */
  public Duration ceiling(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt is 1-based, got " + attempt);
    }
    double nanos = initialDelay.toNanos() * Math.pow(multiplier, attempt - 1);
    long max = maxDelay.toNanos();
    return Duration.ofNanos(Double.isNaN(nanos) || nanos >= max ? max : (long) nanos);
  }

  /** The jittered delay to sleep after failed attempt {@code attempt} (1-based). */
  public Duration delay(int attempt) {
    double u = jitter.getAsDouble();
    u = Double.isNaN(u) ? 1.0 : Math.max(0.0, Math.min(1.0, u));
    return Duration.ofNanos((long) (ceiling(attempt).toNanos() * u));
  }
}
