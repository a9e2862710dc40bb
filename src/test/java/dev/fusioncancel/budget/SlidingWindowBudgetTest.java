package dev.fusioncancel.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.time.FakeTime;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlidingWindowBudgetTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long WINDOW = 60 * SECOND;

  private final FakeTime time = new FakeTime();

  @Test
  void acquire_fromStart_twoBackToBack_thenEvenAtTheWindowsPace() throws Exception {
    SlidingWindowBudget budget = new SlidingWindowBudget(600, time, time);
    List<Long> at = new ArrayList<>();
    for (int i = 0; i < 601; i++) {
      assertTrue(budget.acquire(Long.MAX_VALUE));
      at.add(time.nanoTime());
    }
    long interval = 60 * SECOND / 600;
    assertEquals(0, at.get(0));
    assertEquals(0, at.get(1), "a cancel and its check go back to back");
    for (int i = 2; i < 600; i++) {
      assertEquals(interval, at.get(i) - at.get(i - 1), "gap before permit " + i);
    }
    assertEquals(
        61 * SECOND, at.get(600) - at.get(0), "the 601st waits for the window and its margin");
  }

  @Test
  void acquire_afterIdleSpell_restartsThePaceInsteadOfBursting() throws Exception {
    SlidingWindowBudget budget = new SlidingWindowBudget(60, Duration.ZERO, time, time);
    budget.acquire(Long.MAX_VALUE);
    time.advance(Duration.ofMinutes(10));
    long start = time.nanoTime();
    budget.acquire(Long.MAX_VALUE);
    assertEquals(start, time.nanoTime(), "the first permit after idling goes at once");
    budget.acquire(Long.MAX_VALUE);
    assertEquals(start, time.nanoTime(), "the second too: a burst of two");
    budget.acquire(Long.MAX_VALUE);
    assertEquals(start + SECOND, time.nanoTime(), "the third waits one interval");
    budget.acquire(Long.MAX_VALUE);
    assertEquals(start + 2 * SECOND, time.nanoTime(), "and so on, evenly");
  }

  @Test
  void acquire_waiterWokenLate_keepsTheSchedule() throws Exception {
    SlidingWindowBudget budget = new SlidingWindowBudget(60, Duration.ZERO, time, time);
    budget.acquire(Long.MAX_VALUE); // t = 0; a burst of two allows one more at once
    time.advance(Duration.ofMillis(1300)); // the next callers arrive late
    budget.acquire(Long.MAX_VALUE);
    budget.acquire(Long.MAX_VALUE);
    assertEquals(1300 * 1_000_000L, time.nanoTime(), "two go at once: the burst refilled");
    budget.acquire(Long.MAX_VALUE);
    assertEquals(2 * SECOND, time.nanoTime(), "the slot after stays on the 1 s grid");
  }

  /**
   * The window rule, for any sequence: random bursts of callers, idle spells, 429s with and without
   * Retry-After, successes. No span of 60 s (the service's window) ever holds more permits than the
   * budget; with the margin, not even a span of 61 s does.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 7, 60, 600})
  void windowInvariant_anySequence_neverMoreThanTheBudgetInAnyWindow(int perMinute)
      throws Exception {
    for (int seed = 0; seed < 40; seed++) {
      Random random = new Random(seed * 31L + perMinute);
      FakeTime t = new FakeTime();
      SlidingWindowBudget budget = new SlidingWindowBudget(perMinute, t, t);
      List<Long> permits = new ArrayList<>();
      for (int step = 0; step < 3000; step++) {
        int action = random.nextInt(100);
        if (action < 70) {
          if (budget.acquire(Long.MAX_VALUE)) {
            permits.add(t.nanoTime());
          }
        } else if (action < 80) {
          t.advance(Duration.ofMillis(random.nextInt(5000)));
        } else if (action < 83) {
          t.advance(Duration.ofSeconds(random.nextInt(180)));
        } else if (action < 88) {
          budget.onThrottled(
              random.nextBoolean() ? null : Duration.ofMillis(random.nextInt(30_000)));
        } else {
          budget.onSuccess();
        }
      }
      assertWindowRule(permits, perMinute, WINDOW, "seed " + seed);
      assertWindowRule(permits, perMinute, WINDOW + SECOND, "seed " + seed + " with margin");
    }
  }

  @Test
  void acquire_deadlineBeforeTheNextSlot_takesNothingAndDoesNotSleep() throws Exception {
    SlidingWindowBudget budget = new SlidingWindowBudget(60, Duration.ZERO, time, time);
    assertTrue(budget.acquire(0));
    assertTrue(budget.acquire(0), "the burst's second permit");
    assertFalse(budget.acquire(SECOND - 1));
    assertEquals(0, time.nanoTime(), "did not sleep");
    assertEquals(List.of(), time.sleeps());
    assertTrue(budget.acquire(SECOND));
    assertEquals(SECOND, time.nanoTime());
  }

  @Test
  void onThrottled_waitsOutRetryAfter() throws Exception {
    SlidingWindowBudget budget = new SlidingWindowBudget(600, time, time);
    budget.acquire(Long.MAX_VALUE);
    budget.onThrottled(Duration.ofSeconds(7));
    long before = time.nanoTime();
    budget.acquire(Long.MAX_VALUE);
    assertEquals(before + 7 * SECOND, time.nanoTime());
    assertFalse(budget.acquire(time.nanoTime()), "and paces again afterwards, with no burst");
  }

  @Test
  void onThrottled_withoutRetryAfter_pausesOneSecond() throws Exception {
    SlidingWindowBudget budget = new SlidingWindowBudget(600, time, time);
    budget.onThrottled(null);
    budget.acquire(Long.MAX_VALUE);
    assertEquals(SECOND, time.nanoTime());
  }

  @Test
  void onThrottled_setsTheAllowanceToTheRoomFoundInTheWindow() throws Exception {
    SlidingWindowBudget budget = new SlidingWindowBudget(600, time, time);
    for (int i = 0; i < 400; i++) {
      budget.acquire(Long.MAX_VALUE);
    }
    // The server says the window is full after our 400: a neighbour holds the other 200.
    budget.onThrottled(Duration.ofSeconds(1));
    assertEquals(400 * 0.97, budget.requestsPerMinute(), 1e-9);
  }

  @Test
  void onThrottled_cutsAtMostByHalfInOneStep_andNeverBelowTheFloor() throws Exception {
    SlidingWindowBudget budget = new SlidingWindowBudget(600, time, time);
    budget.acquire(Long.MAX_VALUE);
    budget.onThrottled(null);
    assertEquals(300, budget.requestsPerMinute(), 1e-9, "half, not down to the 1 we sent");
    for (int i = 0; i < 10; i++) {
      time.advance(SlidingWindowBudget.EPISODE.plusMillis(1));
      budget.onThrottled(null);
    }
    assertEquals(60, budget.requestsPerMinute(), 1e-9, "never below 10% of the budget");
  }

  @Test
  void onThrottled_manyInOneEpisode_decreaseOnce() throws Exception {
    SlidingWindowBudget budget = new SlidingWindowBudget(600, time, time);
    for (int i = 0; i < 500; i++) {
      budget.acquire(Long.MAX_VALUE);
    }
    for (int i = 0; i < 20; i++) {
      budget.onThrottled(Duration.ofSeconds(1)); // the requests that were in flight
    }
    assertEquals(500 * 0.97, budget.requestsPerMinute(), 1e-9);
  }

  @Test
  void onSuccess_addsBackAdditively_slowlyNearTheThrottledLevel_fasterAfterQuietWindows()
      throws Exception {
    SlidingWindowBudget budget = new SlidingWindowBudget(600, time, time);
    budget.onThrottled(null); // nothing sent: half, 300; the throttled level is 300
    for (int i = 0; i < 10; i++) {
      time.advance(Duration.ofSeconds(1));
      budget.onSuccess();
    }
    // near the throttled level: 0.02% of 600 a second
    assertEquals(300 + 10 * 600 * 0.0002, budget.requestsPerMinute(), 1e-6);
    time.advance(Duration.ofSeconds(60));
    budget.onSuccess(); // one quiet window: still near the throttled level, one second counts
    assertEquals(301.32, budget.requestsPerMinute(), 1e-6);
    time.advance(Duration.ofMinutes(5));
    budget.onSuccess(); // five quiet windows: the level is forgotten
    assertEquals(301.32 + 600 * 0.005, budget.requestsPerMinute(), 1e-6, "0.5% a second");
    for (int i = 0; i < 200; i++) {
      time.advance(Duration.ofSeconds(1));
      budget.onSuccess();
    }
    assertEquals(600, budget.requestsPerMinute(), 1e-9, "back to the budget, no more");
  }

  @Test
  void onThrottled_whileTheWindowStaysFull_followsTheRoomDown() throws Exception {
    SlidingWindowBudget budget = new SlidingWindowBudget(600, time, time);
    for (int i = 0; i < 600; i++) {
      budget.acquire(Long.MAX_VALUE);
    }
    budget.onThrottled(null);
    assertEquals(582, budget.requestsPerMinute(), 1e-9);
    time.advance(SlidingWindowBudget.EPISODE.plusMillis(1));
    // A later episode, at 59.8 s + 2.001 s: the permits (two at 0, then one every 100 ms up to
    // 59.8 s) after 0.801 s are still in the 61 s span: 590 of ours.
    budget.onThrottled(null);
    assertEquals(590 * 0.97, budget.requestsPerMinute(), 1e-9);
  }

  /**
   * A neighbour spends 30% of the quota at a steady rate against a server with the service's rule
   * (sliding 60 s window, refused requests take no slot). Over ten simulated minutes the budget,
   * set to the whole quota, finds the room left: at least 95% of it, with at most 1% of its
   * requests answered 429.
   */
  @Test
  void simulation_neighbourSpends30Percent_budgetFindsTheRoomLeft() throws Exception {
    int quota = 600;
    WindowServer server = new WindowServer(quota);
    SlidingWindowBudget budget = new SlidingWindowBudget(quota, time, time);
    long neighbourInterval = WINDOW / (quota * 3 / 10);
    long nextNeighbour = 0;
    long measureFrom = 2 * WINDOW;
    long end = 12 * WINDOW;
    long ours = 0;
    long oursAdmitted = 0;
    long throttled = 0;
    while (time.nanoTime() < end) {
      budget.acquire(Long.MAX_VALUE);
      long now = time.nanoTime();
      while (nextNeighbour <= now) {
        server.admit(nextNeighbour);
        nextNeighbour += neighbourInterval;
      }
      Duration refused = server.admit(now);
      boolean measured = now >= measureFrom;
      if (refused == null) {
        budget.onSuccess();
        oursAdmitted += measured ? 1 : 0;
      } else {
        budget.onThrottled(refused);
      }
      ours += measured ? 1 : 0;
      throttled += measured && refused != null ? 1 : 0;
      time.advance(Duration.ofMillis(1));
    }
    double left = quota * 0.7 * (end - measureFrom) / (double) WINDOW;
    double efficiency = oursAdmitted / left;
    double share = throttled / (double) ours;
    assertTrue(efficiency >= 0.95, "efficiency " + efficiency);
    assertTrue(share <= 0.01, "429 share " + share + " of " + ours);
    assertTrue(server.maxInWindow <= quota);
  }

  private static void assertWindowRule(List<Long> permits, int limit, long span, String what) {
    for (int i = 0; i + limit < permits.size(); i++) {
      long gap = permits.get(i + limit) - permits.get(i);
      assertTrue(
          gap >= span,
          what + ": permits " + i + ".." + (i + limit) + " within " + gap + " ns < " + span);
    }
  }

  /** The service's rule: a sliding 60 s window per location; refused requests take no slot. */
  private static final class WindowServer {
    private final int limit;
    private final ArrayDeque<Long> window = new ArrayDeque<>();
    int maxInWindow;

    WindowServer(int limit) {
      this.limit = limit;
    }

    Duration admit(long now) {
      while (!window.isEmpty() && window.peekFirst() <= now - WINDOW) {
        window.pollFirst();
      }
      if (window.size() >= limit) {
        return Duration.ofNanos(window.peekFirst() + WINDOW - now);
      }
      window.addLast(now);
      maxInWindow = Math.max(maxInWindow, window.size());
      return null;
    }
  }
}
