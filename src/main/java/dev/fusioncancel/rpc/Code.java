package dev.fusioncancel.rpc;

import java.util.Locale;
import java.util.Optional;

/**
 * The canonical {@code google.rpc.Code} values with the HTTP status each maps to, the one mapping
 * table shared by the client, the functions and the emulator.
 */
public enum Code {
  OK(0, 200),
  CANCELLED(1, 499),
  UNKNOWN(2, 500),
  INVALID_ARGUMENT(3, 400),
  DEADLINE_EXCEEDED(4, 504),
  NOT_FOUND(5, 404),
  ALREADY_EXISTS(6, 409),
  PERMISSION_DENIED(7, 403),
  RESOURCE_EXHAUSTED(8, 429),
  FAILED_PRECONDITION(9, 400),
  ABORTED(10, 409),
  OUT_OF_RANGE(11, 400),
  UNIMPLEMENTED(12, 501),
  INTERNAL(13, 500),
  UNAVAILABLE(14, 503),
  DATA_LOSS(15, 500),
  UNAUTHENTICATED(16, 401);

  private final int number;
  private final int httpStatus;

  Code(int number, int httpStatus) {
    this.number = number;
    this.httpStatus = httpStatus;
  }

  /** The numeric {@code google.rpc.Code}. */
  public int number() {
    return number;
  }

  /** The HTTP status Google APIs answer with for this code. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The code with this number, if any. */
  public static Optional<Code> ofNumber(int number) {
    for (Code c : values()) {
      if (c.number == number) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The code named by a {@code google.rpc.Status.status} string such as {@code "UNAVAILABLE"}. */
  public static Optional<Code> ofName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The code for an HTTP status when the body named none (AIP-193 fallback). 400 maps to
   * INVALID_ARGUMENT and 409 to ABORTED, as gax's {@code HttpJsonStatusCode} does.
   */
  public static Code ofHttpStatus(int status) {
    return switch (status) {
      case 200 -> OK;
      case 400 -> INVALID_ARGUMENT;
      case 401 -> UNAUTHENTICATED;
      case 403 -> PERMISSION_DENIED;
      case 404 -> NOT_FOUND;
      case 409 -> ABORTED;
      case 412 -> FAILED_PRECONDITION;
      case 416 -> OUT_OF_RANGE;
      case 429 -> RESOURCE_EXHAUSTED;
      case 499 -> CANCELLED;
      case 501 -> UNIMPLEMENTED;
      case 502, 503 -> UNAVAILABLE;
      case 504 -> DEADLINE_EXCEEDED;
      default -> {
        if (status >= 200 && status < 300) {
          yield OK;
        } else if (status >= 500) {
          yield INTERNAL;
        } else {
          yield UNKNOWN;
        }
      }
    };
  }
}
