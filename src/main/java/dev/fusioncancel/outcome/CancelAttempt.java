package dev.fusioncancel.outcome;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.rpc.Code;

/** What {@code :cancel} answered: OK, or the final error after retries. */
public record CancelAttempt(Code status, ApiException error) {
  /** The API accepted the cancel. */
  public static final CancelAttempt ACCEPTED = new CancelAttempt(Code.OK, null);

  /** The cancel failed with this error. */
  public static CancelAttempt failed(ApiException e) {
    return new CancelAttempt(e.code(), e);
  }

  /** Whether the API accepted the cancel. */
  public boolean accepted() {
    return status == Code.OK;
  }

  /** UNIMPLEMENTED or FAILED_PRECONDITION: the API says this operation cannot be cancelled now. */
  public boolean refusedAsNotCancellable() {
    return status == Code.UNIMPLEMENTED || status == Code.FAILED_PRECONDITION;
  }

  /** Whether the operation should still be fetched after this answer. */
  public boolean worthChecking() {
    return switch (status) {
      case NOT_FOUND, PERMISSION_DENIED, UNAUTHENTICATED, INVALID_ARGUMENT -> false;
      default -> true;
    };
  }
}
