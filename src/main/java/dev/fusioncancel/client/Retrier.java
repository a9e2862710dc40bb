package dev.fusioncancel.client;

import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.time.Sleeper;
import dev.fusioncancel.time.Ticker;
import java.time.Duration;
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
  /**
   * One attempt of a call; {@code endNanos} is the {@link Ticker} reading by which it must be over
   * (the earlier of the call's own total timeout and the caller's deadline).
   */
  @FunctionalInterface
  public interface Attempt<T> {
    T call(long endNanos);
  }

  private final RetrySettings settings;
  private final ExponentialBackoff backoff;
  private final Ticker ticker;
  private final Sleeper sleeper;

  public Retrier(
      RetrySettings settings, ExponentialBackoff backoff, Ticker ticker, Sleeper sleeper) {
    this.settings = settings;
    this.backoff = backoff;
    this.ticker = ticker;
    this.sleeper = sleeper;
  }

  /**
   * Runs {@code attempt} until it returns or a failure is final, never past {@code deadlineNanos}.
   *
   * @param deadlineNanos the caller's deadline (a {@link Ticker} reading); when it, rather than the
   *     retry settings, stops the call, the error is marked {@link ApiException#isOutOfTime()}
   * @throws ApiException the last failure, with {@link ApiException#attempts()} set; CANCELLED if
   *     the thread was interrupted while waiting (the interrupt flag is restored)
   */
  public <T> T run(long deadlineNanos, Attempt<T> attempt) {
    long own = saturatedAdd(ticker.nanoTime(), settings.totalTimeout().toNanos());
    boolean callerBinds = deadlineNanos < own;
    long end = callerBinds ? deadlineNanos : own;
    int internalFailures = 0;
    for (int n = 1; ; n++) {
      if (ticker.nanoTime() >= end) {
        throw ApiException.outOfTime("no time left for attempt " + n).withAttempts(n - 1);
      }
      ApiException failure;
      try {
        return attempt.call(end);
      } catch (ApiException e) {
        failure = e;
      }
      if (failure.isOutOfTime()) {
        throw failure.withAttempts(n);
      }
      if (failure.code() == Code.INTERNAL) {
        internalFailures++;
      }
      Optional<Duration> delay = delayAfter(failure, n, internalFailures);
      if (delay.isEmpty()) {
        throw failure.withAttempts(n);
      }
      long remaining = end - ticker.nanoTime();
      if (delay.get().toNanos() >= remaining) {
        // Retries are not exhausted when it is the caller's deadline that leaves no room.
        throw callerBinds ? failure.withAttempts(n).asOutOfTime() : failure.withAttempts(n);
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

  /** {@code a + b}, or {@link Long#MAX_VALUE} when that overflows. */
  public static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
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
