package dev.fusioncancel.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A wall clock, a monotonic ticker and a sleeper that share one virtual time: sleeping advances
 * both at once.
 */
public final class FakeTime extends Clock implements Sleeper, Ticker {
  private final Instant start;
  private Instant now;
  private final List<Duration> sleeps = new ArrayList<>();

  public FakeTime(Instant start) {
    this.start = start;
    this.now = start;
  }

  public FakeTime() {
    this(Instant.parse("2026-11-26T12:00:00Z"));
  }

  @Override
  public synchronized void sleep(Duration duration) {
    sleeps.add(duration);
    if (!duration.isNegative()) {
      now = now.plus(duration);
    }
  }

  /** Moves time forward without recording a sleep. */
  public synchronized void advance(Duration d) {
    now = now.plus(d);
  }

  /** Every sleep requested so far. */
  public synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  /** Virtual nanoseconds since this FakeTime was made (never steps back). */
  @Override
  public synchronized long nanoTime() {
    return Duration.between(start, now).toNanos();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
