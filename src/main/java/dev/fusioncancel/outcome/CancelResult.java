package dev.fusioncancel.outcome;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.Operation;
import java.time.Instant;

/**
 * Everything learned about one cancel: the cancel answer, the operation as last seen, why a check
 * failed, and the verdict.
 */
public record CancelResult(
    String name,
    CancelAttempt attempt,
    Operation operation,
    ApiException checkError,
    Verdict verdict,
    Instant checkedAt) {

  /** The outcome. */
  public Outcome outcome() {
    return verdict.outcome();
  }

  /** A result for a name that never reached the API (invalid, not allowed, dry run). */
  public static CancelResult withoutCall(String name, Outcome outcome, String detail, Instant at) {
    return new CancelResult(name, null, null, null, new Verdict(outcome, detail), at);
  }
}
