package dev.fusioncancel.outcome;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.rpc.Code;

/**
 * What {@code :cancel} answered: OK, or the final error after retries. What an answer means is
 * decided in one place, {@link dev.fusioncancel.engine.AnswerTable}.
 */
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
}
