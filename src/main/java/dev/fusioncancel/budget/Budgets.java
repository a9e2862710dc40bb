package dev.fusioncancel.budget;

import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.time.Sleeper;
import dev.fusioncancel.time.Ticker;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The one place budgets are made: one {@link Budget} per location, created on first use and shared
 * by every call and every run of the instance (Data Fusion's quota is per user per region, not per
 * run). Swap the implementation here and nowhere else. At most {@link #MAX_LOCATIONS} are kept; the
 * least recently used one is dropped beyond that, so the cache cannot grow without bound.
 */
public final class Budgets implements Function<LocationName, Budget> {
  /** More distinct locations than any project has regions for many projects. */
  public static final int MAX_LOCATIONS = 1024;

  private final int requestsPerMinute;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final Map<LocationName, Budget> budgets =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<LocationName, Budget> eldest) {
          return size() > MAX_LOCATIONS;
        }
      };

  /** Budgets of {@code requestsPerMinute} per location, on monotonic time. */
  public Budgets(int requestsPerMinute, Ticker ticker, Sleeper sleeper) {
    this.requestsPerMinute = requestsPerMinute;
    this.ticker = ticker;
    this.sleeper = sleeper;
  }

  /** The budget of {@code location}, created on first use. */
  @Override
  public synchronized Budget apply(LocationName location) {
    return budgets.computeIfAbsent(
        location, l -> new SlidingWindowBudget(requestsPerMinute, ticker, sleeper));
  }

  /** No limit at all: for tests of everything but pacing. */
  public static Function<LocationName, Budget> unlimited() {
    return l -> Unlimited.INSTANCE;
  }

  private enum Unlimited implements Budget {
    INSTANCE;

    @Override
    public boolean acquire(long deadlineNanos) {
      return true;
    }

    @Override
    public void onThrottled(java.time.Duration retryAfter) {}

    @Override
    public void onSuccess() {}

    @Override
    public double requestsPerMinute() {
      return Double.POSITIVE_INFINITY;
    }
  }
}
