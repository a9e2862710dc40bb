package dev.fusioncancel.bulk;

import dev.fusioncancel.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * An adaptive token bucket for one location: {@code requestsPerMinute} with a small burst. A
 * throttled call (429 / RESOURCE_EXHAUSTED) cuts the rate multiplicatively and pauses the location
 * for the server's Retry-After; every success adds a little back until the configured rate is
 * reached again (AIMD, as TCP does), so a shared quota is not hammered.
 */
public final class RateLimiter {
  /** A throttled call multiplies the rate by this. */
  static final double DECREASE = 0.7;

  /** The rate never drops below this share of the configured one. */
  static final double FLOOR = 0.1;

  /** Each success adds this share of the configured rate back. */
  static final double INCREASE = 0.01;

  /** The pause after a throttled call that named no Retry-After. */
  static final Duration DEFAULT_PAUSE = Duration.ofSeconds(1);

  private final double baseRatePerSecond;
  private final double burst;
  private final Clock clock;
  private final Sleeper sleeper;

  private double ratePerSecond;
  private double tokens;
  private Instant refilledAt;
  private Instant pausedUntil;

  /**
   * @param requestsPerMinute the configured budget
   * @param burst how many calls may go at once after an idle spell (at least 1)
   */
  public RateLimiter(int requestsPerMinute, int burst, Clock clock, Sleeper sleeper) {
    if (requestsPerMinute < 1 || burst < 1) {
      throw new IllegalArgumentException("requestsPerMinute and burst must be at least 1");
    }
    this.baseRatePerSecond = requestsPerMinute / 60.0;
    this.ratePerSecond = baseRatePerSecond;
    this.burst = burst;
    this.clock = clock;
    this.sleeper = sleeper;
    this.tokens = burst;
    this.refilledAt = clock.instant();
    this.pausedUntil = refilledAt;
  }

  /** The default burst for a budget: one second's worth, at least 1 and at most 20. */
  public static int defaultBurst(int requestsPerMinute) {
    return Math.max(1, Math.min(20, requestsPerMinute / 60));
  }

  /** Blocks until a call may be made, then takes one permit. */
  public void acquire() throws InterruptedException {
    acquireBefore(Instant.MAX);
  }

  /**
   * Takes a permit if one can be had before {@code deadline}, waiting as needed; returns false at
   * once, taking nothing, when the wait would end after it.
   */
  public boolean acquireBefore(Instant deadline) throws InterruptedException {
    while (true) {
      Duration wait;
      synchronized (this) {
        Instant now = clock.instant();
        refill(now);
        if (now.isBefore(pausedUntil)) {
          wait = Duration.between(now, pausedUntil);
        } else if (tokens >= 1) {
          tokens -= 1;
          return true;
        } else {
          wait = Duration.ofNanos((long) Math.ceil((1 - tokens) / ratePerSecond * 1e9));
        }
        if (!deadline.equals(Instant.MAX) && now.plus(wait).isAfter(deadline)) {
          return false;
        }
      }
      sleeper.sleep(wait);
    }
  }

  /** A call was throttled: slow down, and pause for {@code retryAfter} (or a second). */
  public synchronized void onThrottled(Duration retryAfter) {
    Instant now = clock.instant();
    refill(now);
    ratePerSecond = Math.max(baseRatePerSecond * FLOOR, ratePerSecond * DECREASE);
    tokens = Math.min(tokens, 0);
    Duration pause =
        retryAfter == null || retryAfter.isNegative() || retryAfter.isZero()
            ? DEFAULT_PAUSE
            : retryAfter;
    Instant until = now.plus(pause);
    if (until.isAfter(pausedUntil)) {
      pausedUntil = until;
    }
  }

  /** A call went through: recover a little of the configured rate. */
  public synchronized void onSuccess() {
    if (ratePerSecond < baseRatePerSecond) {
      refill(clock.instant());
      ratePerSecond = Math.min(baseRatePerSecond, ratePerSecond + baseRatePerSecond * INCREASE);
    }
  }

  /** The current rate in requests per minute. */
  public synchronized double requestsPerMinute() {
    return ratePerSecond * 60;
  }

  private void refill(Instant now) {
    if (now.isAfter(refilledAt)) {
      double seconds = Duration.between(refilledAt, now).toNanos() / 1e9;
      tokens = Math.min(burst, tokens + seconds * ratePerSecond);
      refilledAt = now;
    }
  }
}
