package dev.fusioncancel.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/** A thread-safe {@link Clock} that tests set and advance by hand, so time-based cases run fast. */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** A UTC clock standing still at {@code start}. */
  public static MutableClock at(Instant start) {
    return new MutableClock(new AtomicReference<>(Objects.requireNonNull(start)), ZoneOffset.UTC);
  }

  /** A UTC clock standing still at {@code 2026-11-26T10:00:00Z}. */
  public static MutableClock fixedDefault() {
    return at(Instant.parse("2026-11-26T10:00:00Z"));
  }

  /** Moves the clock to {@code instant}. */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant));
  }

  /** Moves the clock forward by {@code duration} and answers the new time. */
  public Instant advance(Duration duration) {
    Objects.requireNonNull(duration);
    return now.updateAndGet(t -> t.plus(duration));
  }

  /** The current time of this clock. */
  @Override
  public Instant instant() {
    return now.get();
  }

  /** The zone of this clock (UTC unless changed with {@link #withZone}). */
  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A view in another zone that shares this clock's time (advancing one advances both). */
  @Override
  public Clock withZone(ZoneId zone) {
    return new MutableClock(now, Objects.requireNonNull(zone));
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + "," + zone + "]";
  }
}
