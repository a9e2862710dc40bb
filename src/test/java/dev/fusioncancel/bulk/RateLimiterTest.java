package dev.fusioncancel.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.time.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private static final long FOREVER = Long.MAX_VALUE;
  private final FakeTime time = new FakeTime();

  /** The most acquisitions in any 60 s window of {@code at} (nanos, ascending). */
  static int busiestMinute(List<Long> at) {
    int most = 0;
    int from = 0;
    for (int i = 0; i < at.size(); i++) {
      while (at.get(i) - at.get(from) >= 60_000_000_000L) {
        from++;
      }
      most = Math.max(most, i - from + 1);
    }
    return most;
  }

  @Test
  void acquire_neverLetsAnySixtySecondWindowHoldMoreThanTheBudget() throws Exception {
    for (int rpm : new int[] {2, 60, 540, 600, 6000}) {
      RateLimiter limiter = new RateLimiter(rpm, time, time);
      List<Long> at = new ArrayList<>();
      for (int i = 0; i < 3 * rpm; i++) {
        assertTrue(limiter.acquire(FOREVER));
        at.add(time.nanoTime());
      }
      assertTrue(busiestMinute(at) <= rpm, rpm + ": " + busiestMinute(at));
      assertTrue(busiestMinute(at) >= rpm - 1, rpm + " is used, not wasted: " + busiestMinute(at));
    }
  }

  @Test
  void acquire_defaultBudget_540PerMinuteIncludingTheBurst() throws Exception {
    int burst = RateLimiter.defaultBurst(540);
    assertEquals(9, burst);
    RateLimiter limiter = new RateLimiter(540, burst, time, time);
    long start = time.nanoTime();
    for (int i = 0; i < 540; i++) {
      limiter.acquire(FOREVER);
    }
    long millis = (time.nanoTime() - start) / 1_000_000;
    assertTrue(Math.abs(millis - 60_000) <= 200, "took " + millis + " ms");
  }

  @Test
  void acquire_afterIdleSpell_allowsOnlyTheBurst() throws Exception {
    RateLimiter limiter = new RateLimiter(65, 5, time, time);
    time.advance(Duration.ofHours(1));
    long start = time.nanoTime();
    for (int i = 0; i < 5; i++) {
      limiter.acquire(FOREVER);
    }
    assertEquals(start, time.nanoTime());
    limiter.acquire(FOREVER);
    assertEquals(Duration.ofSeconds(1), Duration.ofNanos(time.nanoTime() - start));
  }

  @Test
  void onThrottled_slowsDown_honoursRetryAfter_thenRecovers() throws Exception {
    RateLimiter limiter = new RateLimiter(601, 1, time, time);
    assertEquals(600.0, limiter.requestsPerMinute(), 0.001);
    limiter.acquire(FOREVER);
    limiter.onThrottled(Duration.ofSeconds(7));
    assertEquals(420.0, limiter.requestsPerMinute(), 0.001);
    long before = time.nanoTime();
    limiter.acquire(FOREVER);
    assertTrue(
        time.nanoTime() - before >= Duration.ofSeconds(7).toNanos(),
        "waits out Retry-After: " + time.sleeps());

    for (int i = 0; i < 10; i++) {
      limiter.onThrottled(null);
    }
    assertEquals(60.0, limiter.requestsPerMinute(), 0.001, "never below 10% of the budget");

    for (int i = 0; i < 200; i++) {
      limiter.onSuccess();
    }
    assertEquals(600.0, limiter.requestsPerMinute(), 0.001, "recovers to the budget, no more");
  }

  @Test
  void acquire_waitPastTheDeadline_takesNothingAndReturnsAtOnce() throws Exception {
    RateLimiter limiter = new RateLimiter(61, 1, time, time);
    limiter.onThrottled(Duration.ofSeconds(120));
    long start = time.nanoTime();
    assertFalse(limiter.acquire(start + Duration.ofSeconds(60).toNanos()));
    assertEquals(start, time.nanoTime(), "did not sleep");
    assertTrue(limiter.acquire(start + Duration.ofSeconds(300).toNanos()));
    assertEquals(Duration.ofSeconds(120), Duration.ofNanos(time.nanoTime() - start));
  }

  @Test
  void acquire_readsTheMonotonicTicker_notTheWallClock() throws Exception {
    // A FakeTime's wall clock and ticker move together; a wall clock stepping back is modelled by
    // a ticker that keeps going: the limiter only ever sees the ticker.
    long[] nanos = {0};
    RateLimiter limiter = new RateLimiter(61, 1, () -> nanos[0], d -> nanos[0] += d.toNanos());
    limiter.acquire(FOREVER);
    limiter.acquire(FOREVER);
    assertEquals(Duration.ofSeconds(1).toNanos(), nanos[0]);
  }
}
