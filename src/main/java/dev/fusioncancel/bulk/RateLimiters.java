package dev.fusioncancel.bulk;

import dev.fusioncancel.budget.Budget;
import dev.fusioncancel.budget.SlidingWindowBudget;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.time.Sleeper;
import dev.fusioncancel.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link Budget} per location: Data Fusion's quota is per user per region. */
public final class RateLimiters {
  private final Map<LocationName, Budget> limiters = new ConcurrentHashMap<>();
  private final int requestsPerMinute;
  private final Clock clock;
  private final Ticker ticker;
  private final Sleeper sleeper;

  /** Budgets of {@code requestsPerMinute}; {@code clock} converts wall-clock deadlines. */
  public RateLimiters(int requestsPerMinute, Clock clock, Ticker ticker, Sleeper sleeper) {
    this.requestsPerMinute = requestsPerMinute;
    this.clock = clock;
    this.ticker = ticker;
    this.sleeper = sleeper;
  }

  /**
   * Budgets of {@code requestsPerMinute} on the system ticker, or on {@code clock} itself when it
   * is also a ticker (a test's virtual time, where sleeping moves both).
   */
  public RateLimiters(int requestsPerMinute, Clock clock, Sleeper sleeper) {
    this(requestsPerMinute, clock, clock instanceof Ticker t ? t : Ticker.SYSTEM, sleeper);
  }

  /** The budget of a location, created on first use. */
  public Budget of(LocationName location) {
    return limiters.computeIfAbsent(
        location, l -> new SlidingWindowBudget(requestsPerMinute, ticker, sleeper));
  }

  /** A wall-clock deadline as a ticker reading ({@link Long#MAX_VALUE} for none). */
  long deadlineNanos(Instant deadline) {
    if (deadline.equals(Instant.MAX)) {
      return Long.MAX_VALUE;
    }
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.compareTo(Duration.ofDays(365)) > 0) {
      return Long.MAX_VALUE;
    }
    return ticker.nanoTime() + left.toNanos();
  }
}
