package dev.fusioncancel.budget;

import java.time.Duration;

/**
 * The request budget of one location: every request sent upstream (each retry attempt, each 401
 * re-send, each list page) takes one permit first. Data Fusion's quota is per user per region, so
 * there is one budget per location.
 */
public interface Budget {
  /**
   * Takes one permit, waiting while none is free; returns false at once, taking nothing, when none
   * can be had by {@code deadlineNanos} (a {@link dev.fusioncancel.time.Ticker} reading).
   */
  boolean acquire(long deadlineNanos) throws InterruptedException;

  /**
   * A request was answered 429 / RESOURCE_EXHAUSTED: slow down at once, and send nothing for {@code
   * retryAfter} ({@code null} when the server named none).
   */
  void onThrottled(Duration retryAfter);

  /** A request was answered without throttling. */
  void onSuccess();

  /** The rate currently allowed, in requests per minute (for reports and tests). */
  double requestsPerMinute();
}
