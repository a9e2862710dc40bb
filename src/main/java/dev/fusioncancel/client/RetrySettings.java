package dev.fusioncancel.client;

import java.time.Duration;

/**
 * How the Data Fusion client retries and times out, kept apart from the backoff algorithm ({@link
 * ExponentialBackoff}) and the executor ({@link Retrier}), as gax does.
 *
 * <p>Defaults ({@link #DEFAULT}): first retry delay ceiling 200 ms, multiplied by 2.0 per attempt
 * up to 10 s; at most 6 attempts within 60 s in total; a server's {@code Retry-After} is honoured
 * up to 60 s; an INTERNAL (HTTP 500) answer is retried at most once; 10 s to connect and 30 s per
 * request.
 *
 * @param initialRetryDelay the delay ceiling before the first retry
 * @param retryDelayMultiplier how much the ceiling grows per attempt (at least 1.0)
 * @param maxRetryDelay the largest delay ceiling
 * @param totalTimeout the whole call, every attempt and sleep included, ends within this time
 * @param maxAttempts attempts in all, the first included (1 = no retries)
 * @param maxRetryAfter the longest {@code Retry-After} honoured; longer ones are cut to this
 * @param maxInternalRetries how often an INTERNAL answer is retried (see {@link Retrier})
 * @param connectTimeout the TCP and TLS connect timeout
 * @param perCallTimeout one request's timeout, cut to what is left of {@code totalTimeout}
 */
public record RetrySettings(
    Duration initialRetryDelay,
    double retryDelayMultiplier,
    Duration maxRetryDelay,
    Duration totalTimeout,
    int maxAttempts,
    Duration maxRetryAfter,
    int maxInternalRetries,
    Duration connectTimeout,
    Duration perCallTimeout) {

  /** The documented defaults. */
  public static final RetrySettings DEFAULT = newBuilder().build();

  public RetrySettings {
    nonNegative("initialRetryDelay", initialRetryDelay);
    nonNegative("maxRetryDelay", maxRetryDelay);
    nonNegative("maxRetryAfter", maxRetryAfter);
    positive("totalTimeout", totalTimeout);
    positive("connectTimeout", connectTimeout);
    positive("perCallTimeout", perCallTimeout);
    if (!(retryDelayMultiplier >= 1.0) || Double.isInfinite(retryDelayMultiplier)) {
      throw new IllegalArgumentException(
          "retryDelayMultiplier must be a finite number >= 1.0, got " + retryDelayMultiplier);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (maxInternalRetries < 0) {
      throw new IllegalArgumentException(
          "maxInternalRetries must not be negative, got " + maxInternalRetries);
    }
  }

  /** A builder holding the defaults. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  private static void nonNegative(String name, Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be a duration >= 0, got " + d);
    }
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a duration > 0, got " + d);
    }
  }

  /** Builds {@link RetrySettings}; starts from the defaults. */
  public static final class Builder {
    private Duration initialRetryDelay = Duration.ofMillis(200);
    private double retryDelayMultiplier = 2.0;
    private Duration maxRetryDelay = Duration.ofSeconds(10);
    private Duration totalTimeout = Duration.ofSeconds(60);
    private int maxAttempts = 6;
    private Duration maxRetryAfter = Duration.ofSeconds(60);
    private int maxInternalRetries = 1;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration perCallTimeout = Duration.ofSeconds(30);

    private Builder() {}

    private Builder(RetrySettings s) {
      initialRetryDelay = s.initialRetryDelay;
      retryDelayMultiplier = s.retryDelayMultiplier;
      maxRetryDelay = s.maxRetryDelay;
      totalTimeout = s.totalTimeout;
      maxAttempts = s.maxAttempts;
      maxRetryAfter = s.maxRetryAfter;
      maxInternalRetries = s.maxInternalRetries;
      connectTimeout = s.connectTimeout;
      perCallTimeout = s.perCallTimeout;
    }

    /** Sets the delay ceiling before the first retry. */
    public Builder setInitialRetryDelay(Duration d) {
      initialRetryDelay = d;
      return this;
    }

    /** Sets how much the delay ceiling grows per attempt. */
    public Builder setRetryDelayMultiplier(double m) {
      retryDelayMultiplier = m;
      return this;
    }

    /** Sets the largest delay ceiling. */
    public Builder setMaxRetryDelay(Duration d) {
      maxRetryDelay = d;
      return this;
    }

    /** Sets the time budget of one call, all attempts and sleeps included. */
    public Builder setTotalTimeout(Duration d) {
      totalTimeout = d;
      return this;
    }

    /** Sets the number of attempts in all (1 = no retries). */
    public Builder setMaxAttempts(int n) {
      maxAttempts = n;
      return this;
    }

    /** Sets the longest {@code Retry-After} honoured. */
    public Builder setMaxRetryAfter(Duration d) {
      maxRetryAfter = d;
      return this;
    }

    /** Sets how often an INTERNAL answer is retried. */
    public Builder setMaxInternalRetries(int n) {
      maxInternalRetries = n;
      return this;
    }

    /** Sets the connect timeout. */
    public Builder setConnectTimeout(Duration d) {
      connectTimeout = d;
      return this;
    }

    /** Sets one request's timeout. */
    public Builder setPerCallTimeout(Duration d) {
      perCallTimeout = d;
      return this;
    }

    /** The settings; throws {@link IllegalArgumentException} naming a bad value. */
    public RetrySettings build() {
      return new RetrySettings(
          initialRetryDelay,
          retryDelayMultiplier,
          maxRetryDelay,
          totalTimeout,
          maxAttempts,
          maxRetryAfter,
          maxInternalRetries,
          connectTimeout,
          perCallTimeout);
    }
  }
}
