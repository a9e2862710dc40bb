package dev.fusioncancel.client;

import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.rpc.RpcStatus;
import java.time.Duration;
import java.util.Optional;

/**
 * The one exception of the Data Fusion client: what the API (or the transport) said, whether it is
 * worth retrying, and how often it was tried.
 */
public final class ApiException extends RuntimeException {
  private final RpcStatus status;
  private final int httpStatus;
  private final Duration retryAfter;
  private final int attempts;
  private final boolean outOfTime;

  public ApiException(
      RpcStatus status, int httpStatus, Duration retryAfter, int attempts, Throwable cause) {
    this(status, httpStatus, retryAfter, attempts, cause, false);
  }

  private ApiException(
      RpcStatus status,
      int httpStatus,
      Duration retryAfter,
      int attempts,
      Throwable cause,
      boolean outOfTime) {
    super(status.code() + ": " + status.message(), cause);
    this.status = status;
    this.httpStatus = httpStatus;
    this.retryAfter = retryAfter;
    this.attempts = attempts;
    this.outOfTime = outOfTime;
  }

  /**
   * The caller's deadline ended the call before an answer was final: no permit could be had in
   * time, or the next attempt no longer fitted. Retries were not exhausted, so this is never an
   * ERROR outcome: the work goes on in a follow-up (bulk) or the answer says the time ran out.
   */
  public static ApiException outOfTime(String message) {
    return new ApiException(new RpcStatus(Code.DEADLINE_EXCEEDED, message), 0, null, 0, null, true);
  }

  /** An error with no HTTP answer behind it (a reset connection, a timeout, a token failure). */
  public static ApiException transport(Code code, String message, Throwable cause) {
    return new ApiException(new RpcStatus(code, message), 0, null, 1, cause);
  }

  /** The google.rpc code, from the body's {@code status} string, else from the HTTP status. */
  public Code code() {
    return status.code();
  }

  /** The status as the API sent it. */
  public RpcStatus status() {
    return status;
  }

  /** The HTTP status, or 0 when there was no HTTP answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The server's {@code Retry-After}, if it sent one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** How many attempts were made before this error was final. */
  public int attempts() {
    return attempts;
  }

  /**
   * Whether the caller's deadline, not exhausted retries, ended the call (see {@link #outOfTime}).
   */
  public boolean isOutOfTime() {
    return outOfTime;
  }

  /** Whether trying again may succeed (AIP-194: UNAVAILABLE, RESOURCE_EXHAUSTED, resets). */
  public boolean retryable() {
    if (outOfTime) {
      return false;
    }
    return switch (status.code()) {
      case UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED -> true;
      default -> false;
    };
  }

  /** The same error, recording the number of attempts made. */
  public ApiException withAttempts(int n) {
    return new ApiException(status, httpStatus, retryAfter, n, getCause(), outOfTime);
  }

  /** The same error, marked as ended by the caller's deadline (see {@link #outOfTime}). */
  public ApiException asOutOfTime() {
    return new ApiException(status, httpStatus, retryAfter, attempts, getCause(), true);
  }
}
