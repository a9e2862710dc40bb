package dev.fusioncancel.outcome;

import java.time.Duration;

/** How often an operation is fetched again while waiting for it to finish after a cancel. */
public record PollSettings(Duration initialDelay, double multiplier, Duration maxDelay) {
  /** 0.5 s, growing by half each time, at most 5 s apart. */
  public static final PollSettings DEFAULT =
      new PollSettings(Duration.ofMillis(500), 1.5, Duration.ofSeconds(5));

  public PollSettings {
    if (initialDelay.isNegative() || initialDelay.isZero() || multiplier < 1.0) {
      throw new IllegalArgumentException("initialDelay must be > 0 and multiplier >= 1");
    }
  }

  /** The delay after {@code previous}. */
  public Duration next(Duration previous) {
    long millis = (long) Math.ceil(previous.toMillis() * multiplier);
    Duration d = Duration.ofMillis(millis);
    return d.compareTo(maxDelay) > 0 ? maxDelay : d;
  }
}
