package dev.fusioncancel.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Data Fusion's rule: a sliding 60-second window per location that counts every request the API
 * receives, whatever the method (cancel, get, list) and whether it is a retry; a request arriving
 * when the window already holds the limit is answered 429 with Retry-After and takes no slot (as
 * Google's rate quotas do). Measured on the emulator's clock, at arrival.
 */
final class Quota {
  private static final Duration WINDOW = Duration.ofMinutes(1);

  private final Map<String, ArrayDeque<Instant>> windows = new ConcurrentHashMap<>();
  private volatile int perMinute;

  Quota(int perMinute) {
    setPerMinute(perMinute);
  }

  void setPerMinute(int perMinute) {
    if (perMinute < 0) {
      throw new IllegalArgumentException("quota must not be negative: " + perMinute);
    }
    this.perMinute = perMinute;
  }

  int perMinute() {
    return perMinute;
  }

  void clear() {
    windows.clear();
  }

  /**
   * Records requests someone else made earlier ({@code at} must not be before the previous ones): a
   * benchmark's neighbour whose last minute of traffic is already in the window.
   */
  void spent(String location, Instant at) {
    ArrayDeque<Instant> window = windows.computeIfAbsent(location, l -> new ArrayDeque<>());
    synchronized (window) {
      window.addLast(at);
    }
  }

  /**
   * Takes one request slot for {@code location} at {@code now}; answers null when granted, else how
   * long until a slot frees. Refused requests take no slot.
   */
  Duration acquire(String location, Instant now) {
    int limit = perMinute;
    if (limit == 0 || location == null) {
      return null;
    }
    ArrayDeque<Instant> window = windows.computeIfAbsent(location, l -> new ArrayDeque<>());
    synchronized (window) {
      Instant cutoff = now.minus(WINDOW);
      while (!window.isEmpty() && !window.peekFirst().isAfter(cutoff)) {
        window.pollFirst();
      }
      if (window.size() >= limit) {
        return Duration.between(now, window.peekFirst().plus(WINDOW));
      }
      window.addLast(now);
      return null;
    }
  }
}
