package dev.fusioncancel.bulk;

import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.time.Sleeper;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link RateLimiter} per location: Data Fusion's quota is per user per region. */
public final class RateLimiters {
  private final Map<LocationName, RateLimiter> limiters = new ConcurrentHashMap<>();
  private final int requestsPerMinute;
  private final int burst;
  private final Clock clock;
  private final Sleeper sleeper;

  public RateLimiters(int requestsPerMinute, int burst, Clock clock, Sleeper sleeper) {
    this.requestsPerMinute = requestsPerMinute;
    this.burst = burst;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** Limiters at {@code requestsPerMinute} with the default burst. */
  public RateLimiters(int requestsPerMinute, Clock clock, Sleeper sleeper) {
    this(requestsPerMinute, RateLimiter.defaultBurst(requestsPerMinute), clock, sleeper);
  }

  /** The limiter of a location, created on first use. */
  public RateLimiter of(LocationName location) {
    return limiters.computeIfAbsent(
        location, l -> new RateLimiter(requestsPerMinute, burst, clock, sleeper));
  }
}
