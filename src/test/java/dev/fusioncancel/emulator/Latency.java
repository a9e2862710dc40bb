package dev.fusioncancel.emulator;

import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * How long the emulator takes to answer: flat, or heavy-tailed (lognormal with a given median and
 * 99th percentile) as control-plane APIs are. Seeded, so a run's sequence of delays repeats.
 */
public abstract sealed class Latency {
  /** The z-score of the 99th percentile of a standard normal distribution. */
  static final double Z99 = 2.3263478740408408;

  /** No single answer takes longer, whatever the tail says. */
  static final Duration MAX = Duration.ofSeconds(30);

  /** No added latency. */
  public static final Latency NONE = flat(Duration.ZERO);

  private Latency() {}

  /** Every answer takes exactly {@code d}. */
  public static Latency flat(Duration d) {
    return new Flat(d);
  }

  /** Lognormal with median {@code p50} and 99th percentile {@code p99}, seeded. */
  public static Latency lognormal(Duration p50, Duration p99, long seed) {
    return new LogNormal(p50, p99, seed);
  }

  /** The delay of the next answer. */
  public abstract Duration next();

  /** A short description for logs and tables. */
  public abstract String describe();

  private static final class Flat extends Latency {
    private final Duration d;

    Flat(Duration d) {
      Objects.requireNonNull(d, "latency");
      if (d.isNegative()) {
        throw new IllegalArgumentException("latency must not be negative");
      }
      this.d = d;
    }

    @Override
    public Duration next() {
      return d;
    }

    @Override
    public String describe() {
      return d.toMillis() + " ms flat";
    }
  }

  private static final class LogNormal extends Latency {
    private final double medianNanos;
    private final double sigma;
    private final Duration p50;
    private final Duration p99;
    private final SplittableRandom random;

    LogNormal(Duration p50, Duration p99, long seed) {
      if (p50.isNegative() || p50.isZero() || p99.compareTo(p50) < 0) {
        throw new IllegalArgumentException("need 0 < p50 <= p99, got " + p50 + ", " + p99);
      }
      this.p50 = p50;
      this.p99 = p99;
      this.medianNanos = p50.toNanos();
      this.sigma = Math.log((double) p99.toNanos() / p50.toNanos()) / Z99;
      this.random = new SplittableRandom(seed);
    }

    @Override
    public Duration next() {
      double z;
      synchronized (this) {
        z = gaussian();
      }
      double nanos = medianNanos * Math.exp(sigma * z);
      return Duration.ofNanos((long) Math.min(nanos, MAX.toNanos()));
    }

    /** Box-Muller on the seeded generator (SplittableRandom has no nextGaussian on Java 17). */
    private double gaussian() {
      double u = 1.0 - random.nextDouble();
      double v = random.nextDouble();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    @Override
    public String describe() {
      return "lognormal p50 " + p50.toMillis() + " ms, p99 " + p99.toMillis() + " ms";
    }
  }
}
