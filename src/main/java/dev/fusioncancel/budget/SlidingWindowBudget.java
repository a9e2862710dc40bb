package dev.fusioncancel.budget;

import dev.fusioncancel.time.Sleeper;
import dev.fusioncancel.time.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The budget of one location, shaped like Data Fusion's quota: a sliding window (60 s) that counts
 * every request. Two rules hold for every permit it gives:
 *
 * <ul>
 *   <li><b>Window</b>: never more than the allowance in any {@code window + margin} span (the
 *       margin absorbs the time between taking a permit here and the request reaching the server,
 *       so the server's 60 s window never sees more either);
 *   <li><b>Pacing</b>: permits are spread evenly, one per {@code window / allowance}, so the rate
 *       the server sees is steady; after an idle spell (or at start) at most {@link #BURST} go back
 *       to back, so that a cancel and the check that follows it are not kept apart by a pacing
 *       interval (113 ms at 540 requests a minute, 333 ms at 180).
 * </ul>
 *
 * <p>Pacing at the window itself, not at {@code window + margin}, uses the whole quota in a run
 * shorter than a window; over longer runs the window rule holds the rate at {@code allowance} per
 * {@code window + margin} (0.984 of the quota with the default margin).
 *
 * <p>The allowance adapts (AIMD): a 429 sets it to what this client itself sent in the window when
 * the server said the window was full (the room a neighbour left), less {@link #BACK_OFF}, but
 * never below half of what it was in one step; Retry-After pauses the location. Successes add the
 * allowance back additively: quickly while far below the level that was throttled, slowly near it,
 * and quickly again once {@link #FORGET_AFTER_WINDOWS} windows passed without a 429.
 */
public final class SlidingWindowBudget implements Budget {
  /** The service's window: Data Fusion counts requests per minute. */
  public static final Duration WINDOW = Duration.ofMinutes(1);

  /** Default margin added to the window: 1 s (1.6% of the quota) for send-to-arrival jitter. */
  public static final Duration DEFAULT_MARGIN = Duration.ofSeconds(1);

  /** Permits that may go back to back after an idle spell: a cancel and its check. */
  static final int BURST = 2;

  /** After a 429 the allowance is set to this share of what was in the window. */
  static final double BACK_OFF = 0.97;

  /** One 429 never cuts the allowance by more than this factor. */
  static final double MAX_DECREASE = 0.5;

  /** The allowance never falls below this share of the budget. */
  static final double FLOOR = 0.1;

  /** Additive increase, share of the budget per second, while well below the throttled level. */
  static final double FAST_INCREASE_PER_S = 0.005;

  /** Additive increase, share of the budget per second, near the level that was throttled. */
  static final double SLOW_INCREASE_PER_S = 0.0002;

  /** Below this share of the throttled level the increase is fast. */
  static final double NEAR_CEILING = 0.9;

  /**
   * The throttled level is forgotten after this many windows without a 429 (the neighbour may have
   * gone): probing above it costs a few 429s, so not more often than this.
   */
  static final int FORGET_AFTER_WINDOWS = 5;

  /** The pause after a 429 that named no Retry-After. */
  static final Duration DEFAULT_PAUSE = Duration.ofSeconds(1);

  /**
   * 429s within this time of a decrease belong to the same episode (requests already in flight).
   */
  static final Duration EPISODE = Duration.ofSeconds(2);

  /**
   * A waiter woken late (a busy CPU) keeps the schedule for up to this long (or one interval), so
   * scheduling delays cost no throughput; the window rule still holds for every permit.
   */
  static final Duration CATCH_UP = Duration.ofMillis(200);

  /** One success adds the increase of at most this much elapsed time (no leap after idling). */
  private static final long MAX_INCREASE_STEP_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final int budget;
  private final long spanNanos;
  private final Ticker ticker;
  private final Sleeper sleeper;

  // Guarded by this. Ticks of the last permits, a ring of `budget` entries.
  private final long[] sent;

  private long count;
  private double allowance;

  /** The level last throttled at; infinite when unknown or a quiet window ago. */
  private double ceiling;

  private long nextSlot;
  private long pausedUntil;
  private long lastDecrease;
  private long lastIncrease;
  private boolean throttledOnce;

  /**
   * @param requestsPerMinute the budget: permits per window at most (the service's quota, or less)
   * @param margin added to the window for send-to-arrival jitter (zero or more)
   */
  public SlidingWindowBudget(
      int requestsPerMinute, Duration margin, Ticker ticker, Sleeper sleeper) {
    if (requestsPerMinute < 1) {
      throw new IllegalArgumentException("requestsPerMinute must be at least 1");
    }
    if (margin.isNegative()) {
      throw new IllegalArgumentException("margin must not be negative");
    }
    this.budget = requestsPerMinute;
    this.spanNanos = WINDOW.plus(margin).toNanos();
    this.ticker = ticker;
    this.sleeper = sleeper;
    this.sent = new long[requestsPerMinute];
    this.allowance = requestsPerMinute;
    this.ceiling = Double.POSITIVE_INFINITY;
    long now = ticker.nanoTime();
    this.nextSlot = now;
    this.pausedUntil = now;
    this.lastIncrease = now;
  }

  /** A budget of {@code requestsPerMinute} with the {@link #DEFAULT_MARGIN}. */
  public SlidingWindowBudget(int requestsPerMinute, Ticker ticker, Sleeper sleeper) {
    this(requestsPerMinute, DEFAULT_MARGIN, ticker, sleeper);
  }

  @Override
  public boolean acquire(long deadlineNanos) throws InterruptedException {
    // No lock is held while sleeping: waiters that wake together re-check under the monitor, and
    // only one takes each slot (a lock held across the injected Sleeper would also block the
    // deterministic simulation's scheduler).
    while (true) {
      long wait;
      synchronized (this) {
        long now = ticker.nanoTime();
        long earliest = earliest();
        if (earliest - now <= 0) {
          take(now);
          return true;
        }
        if (earliest - deadlineNanos > 0) {
          return false;
        }
        wait = earliest - now;
      }
      sleeper.sleep(Duration.ofNanos(wait));
    }
  }

  @Override
  public synchronized void onThrottled(Duration retryAfter) {
    long now = ticker.nanoTime();
    Duration pause =
        retryAfter == null || retryAfter.isNegative() || retryAfter.isZero()
            ? DEFAULT_PAUSE
            : retryAfter;
    long until = now + pause.toNanos();
    if (until - pausedUntil > 0) {
      pausedUntil = until;
    }
    // No burst when the pause ends: the server just said the window is full.
    long noBurst = until + (BURST - 1) * interval();
    if (noBurst - nextSlot > 0) {
      nextSlot = noBurst;
    }
    if (throttledOnce && now - lastDecrease < EPISODE.toNanos()) {
      return;
    }
    int inWindow = sentSince(now - spanNanos);
    double room = Math.min(allowance, inWindow * BACK_OFF);
    double next = Math.max(allowance * MAX_DECREASE, room);
    ceiling = Math.max(inWindow, next);
    allowance = Math.max(Math.max(1, budget * FLOOR), Math.min(allowance, next));
    throttledOnce = true;
    lastDecrease = now;
    lastIncrease = now;
  }

  @Override
  public synchronized void onSuccess() {
    long now = ticker.nanoTime();
    long step = Math.min(MAX_INCREASE_STEP_NANOS, now - lastIncrease);
    lastIncrease = now;
    if (allowance >= budget || step <= 0) {
      return;
    }
    if (now - lastDecrease > FORGET_AFTER_WINDOWS * spanNanos) {
      ceiling = Double.POSITIVE_INFINITY;
    }
    double perSecond =
        allowance < ceiling * NEAR_CEILING ? FAST_INCREASE_PER_S : SLOW_INCREASE_PER_S;
    allowance = Math.min(budget, allowance + budget * perSecond * step / 1e9);
  }

  @Override
  public synchronized double requestsPerMinute() {
    return allowance;
  }

  /** The configured budget: permits per window at most. */
  public int budget() {
    return budget;
  }

  /** The earliest tick a permit may be taken: pacing, pause and window all allow it. */
  private long earliest() {
    // The schedule may run up to BURST - 1 intervals ahead of the permits (a token bucket of
    // BURST on the even pace); the window rule below bounds every span whatever the burst.
    long t = nextSlot - (BURST - 1) * interval();
    if (pausedUntil - t > 0) {
      t = pausedUntil;
    }
    int allowed = Math.max(1, (int) allowance);
    if (count >= allowed) {
      // The allowed-th most recent permit must have left the span.
      long leaves = sent[index(count - allowed)] + spanNanos;
      if (leaves - t > 0) {
        t = leaves;
      }
    }
    return t;
  }

  private void take(long now) {
    sent[index(count)] = now;
    count++;
    long interval = interval();
    // A waiter woken a little late keeps the schedule (see CATCH_UP), so sleep overshoot costs no
    // throughput; after an idle spell the schedule restarts from now (the burst of BURST in
    // earliest() is all it allows), and after a pause onThrottled moved it past the pause.
    long catchUp = Math.max(interval, CATCH_UP.toNanos());
    long base = now - nextSlot < catchUp ? nextSlot : now;
    nextSlot = base + interval;
  }

  /** The even pace: one permit per {@code window / allowance}. */
  private long interval() {
    return (long) Math.ceil(WINDOW.toNanos() / allowance);
  }

  /** How many of the recorded permits were taken after {@code since}. */
  private int sentSince(long since) {
    long lo = Math.max(0, count - sent.length);
    long hi = count;
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (sent[index(mid)] - since > 0) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return (int) (count - lo);
  }

  private int index(long n) {
    return (int) (n % sent.length);
  }
}
