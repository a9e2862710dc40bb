package dev.fusioncancel.bulk;

import dev.fusioncancel.budget.Budget;
import dev.fusioncancel.time.Sleeper;
import dev.fusioncancel.time.Ticker;
import java.time.Duration;

/**
 * An adaptive token bucket for one location, the interim {@link Budget}: a burst of {@code b}
 * permits refilled at {@code (requestsPerMinute - b) / 60} per second, so that no 60-second window
 * ever holds more than {@code requestsPerMinute} requests (at most {@code b} saved up plus one
 * minute of refill). A throttled request (429 / RESOURCE_EXHAUSTED) cuts the rate multiplicatively
 * and pauses the location for the server's Retry-After; every success adds a little back until the
 * configured rate is reached again (AIMD, as TCP does), so a shared quota is not hammered. All
 * elapsed time is read from a monotonic {@link Ticker}.
 */
public final class RateLimiter implements Budget {
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
  private final Ticker ticker;
  private final Sleeper sleeper;

  private double ratePerSecond;
  private double tokens;
  private long refilledAt;
  private long pausedUntil;

  /** A budget of {@code requestsPerMinute} with the {@link #defaultBurst default burst}. */
  public RateLimiter(int requestsPerMinute, Ticker ticker, Sleeper sleeper) {
    this(requestsPerMinute, defaultBurst(requestsPerMinute), ticker, sleeper);
  }

  /**
   * @param requestsPerMinute the configured budget: the most requests in any 60 s
   * @param burst how many calls may go at once after an idle spell (at least 1)
   */
  public RateLimiter(int requestsPerMinute, int burst, Ticker ticker, Sleeper sleeper) {
    if (requestsPerMinute < 1 || burst < 1) {
      throw new IllegalArgumentException("requestsPerMinute and burst must be at least 1");
    }
    this.baseRatePerSecond = Math.max(1, requestsPerMinute - burst) / 60.0;
    this.ratePerSecond = baseRatePerSecond;
    this.burst = burst;
    this.ticker = ticker;
    this.sleeper = sleeper;
    this.tokens = burst;
    this.refilledAt = ticker.nanoTime();
    this.pausedUntil = refilledAt;
  }

  /** The default burst for a budget: one second's worth, at least 1 and at most 20. */
  public static int defaultBurst(int requestsPerMinute) {
    return Math.max(1, Math.min(20, requestsPerMinute / 60));
  }

  @Override
  public boolean acquire(long deadlineNanos) throws InterruptedException {
    while (true) {
      long wait;
      synchronized (this) {
        long now = ticker.nanoTime();
        refill(now);
        if (now < pausedUntil) {
          wait = pausedUntil - now;
        } else if (tokens >= 1) {
          tokens -= 1;
          return true;
        } else {
          wait = (long) Math.ceil((1 - tokens) / ratePerSecond * 1e9);
        }
        if (now + wait > deadlineNanos || now + wait < now) {
          return false;
        }
      }
      sleeper.sleep(Duration.ofNanos(wait));
    }
  }

  @Override
  public synchronized void onThrottled(Duration retryAfter) {
    long now = ticker.nanoTime();
    refill(now);
    ratePerSecond = Math.max(baseRatePerSecond * FLOOR, ratePerSecond * DECREASE);
    tokens = Math.min(tokens, 0);
    Duration pause =
        retryAfter == null || retryAfter.isNegative() || retryAfter.isZero()
            ? DEFAULT_PAUSE
            : retryAfter;
    long until = now + pause.toNanos();
    if (until > pausedUntil) {
      pausedUntil = until;
    }
  }

  @Override
  public synchronized void onSuccess() {
    if (ratePerSecond < baseRatePerSecond) {
      refill(ticker.nanoTime());
      ratePerSecond = Math.min(baseRatePerSecond, ratePerSecond + baseRatePerSecond * INCREASE);
    }
  }

  @Override
  public synchronized double requestsPerMinute() {
    return ratePerSecond * 60;
  }

  private void refill(long now) {
    if (now > refilledAt) {
      double seconds = (now - refilledAt) / 1e9;
      tokens = Math.min(burst, tokens + seconds * ratePerSecond);
      refilledAt = now;
    }
  }
}
