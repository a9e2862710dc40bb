package dev.fusioncancel.client;

import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Runs one logical call with retries (AIP-194): tries again after UNAVAILABLE, RESOURCE_EXHAUSTED
 * and DEADLINE_EXCEEDED (which also stand for resets and timeouts), sleeping per {@link
 * ExponentialBackoff} or the server's {@code Retry-After}, until {@link
 * RetrySettings#maxAttempts()} or until the next sleep would cross {@link
 * RetrySettings#totalTimeout()}. The final {@link ApiException} records the attempts made.
 *
 * <p>INTERNAL (HTTP 500) is retried at most {@link RetrySettings#maxInternalRetries()} times
 * although gax does not retry it by default: the three methods this client calls are idempotent (a
 * second cancel of the same operation changes nothing, get and list only read), and a 500 from a
 * Google front end is most often a passing backend fault. The bound keeps a real, persistent server
 * bug from costing the whole time budget. Every other code is final: retrying INVALID_ARGUMENT,
 * FAILED_PRECONDITION, PERMISSION_DENIED, NOT_FOUND, ABORTED, ALREADY_EXISTS or UNIMPLEMENTED would
 * give the same answer again.
 *
 * <p>Thread-safe: one instance serves every thread; the state of a call lives on its stack.
 */
public final class Retrier {
  /** One attempt of a call; {@code timeLeft} is what remains of the total timeout (positive). */
  @FunctionalInterface
  public interface Attempt<T> {
    T call(Duration timeLeft);
  }

  private final RetrySettings settings;
  private final ExponentialBackoff backoff;
  private final Clock clock;
  private final Sleeper sleeper;

  public Retrier(RetrySettings settings, ExponentialBackoff backoff, Clock clock, Sleeper sleeper) {
    this.settings = settings;
    this.backoff = backoff;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * Runs {@code attempt} until it returns or a failure is final.
   *
   * @throws ApiException the last failure, with {@link ApiException#attempts()} set; CANCELLED if
   *     the thread was interrupted while waiting (the interrupt flag is restored)
   */
  public <T> T run(Attempt<T> attempt) {
    Instant deadline = clock.instant().plus(settings.totalTimeout());
    int internalFailures = 0;
    for (int n = 1; ; n++) {
      Duration timeLeft = Duration.between(clock.instant(), deadline);
      if (timeLeft.isNegative() || timeLeft.isZero()) {
        timeLeft = Duration.ofMillis(1);
      }
      ApiException failure;
      try {
        return attempt.call(timeLeft);
      } catch (ApiException e) {
        failure = e;
      }
      if (failure.code() == Code.INTERNAL) {
        internalFailures++;
      }
      Optional<Duration> delay = delayAfter(failure, n, internalFailures);
      if (delay.isEmpty()) {
        throw failure.withAttempts(n);
      }
      Duration remaining = Duration.between(clock.instant(), deadline);
      if (delay.get().compareTo(remaining) >= 0) {
        throw failure.withAttempts(n);
      }
      try {
        sleeper.sleep(delay.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApiException.transport(Code.CANCELLED, "interrupted while waiting to retry", e)
            .withAttempts(n);
      }
    }
  }

  /**
   * How long to wait before the attempt after failed attempt {@code attempt}, or empty when the
   * failure is final. A server's {@code Retry-After} is a lower bound (capped by {@link
   * RetrySettings#maxRetryAfter()}); the jittered backoff applies when it is longer.
   */
  Optional<Duration> delayAfter(ApiException failure, int attempt, int internalFailures) {
    if (attempt >= settings.maxAttempts()) {
      return Optional.empty();
    }
    boolean retry =
        failure.retryable()
            || (failure.code() == Code.INTERNAL
                && internalFailures <= settings.maxInternalRetries());
    if (!retry) {
      return Optional.empty();
    }
    Duration delay = backoff.delay(attempt);
    Optional<Duration> retryAfter = failure.retryAfter();
    if (retryAfter.isPresent()) {
      Duration asked = retryAfter.get().isNegative() ? Duration.ZERO : retryAfter.get();
      Duration capped =
          asked.compareTo(settings.maxRetryAfter()) > 0 ? settings.maxRetryAfter() : asked;
      if (capped.compareTo(delay) > 0) {
        delay = capped;
      }
    }
    return Optional.of(delay);
  }
}
