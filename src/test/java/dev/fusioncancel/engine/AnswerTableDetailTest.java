package dev.fusioncancel.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.outcome.CancelAttempt;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.outcome.Verdict;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.rpc.RpcStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What each verdict and error answer says: the detail a caller reads to know what happened. */
class AnswerTableDetailTest {
  private static final String NAME = "projects/p-roj1/locations/l/operations/o";

  private static ApiException api(Code code, String message, int attempts) {
    return new ApiException(new RpcStatus(code, message), code.httpStatus(), null, attempts, null);
  }

  private static Operation done(Integer errorCode) {
    return new Operation(
        NAME,
        true,
        errorCode == null ? null : new Operation.OperationError(errorCode, "m"),
        errorCode == null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void decide_doneAfterARefusedCancel_saysWhatCancelAnswered() {
    CancelAttempt refused = CancelAttempt.failed(api(Code.FAILED_PRECONDITION, "busy", 1));
    assertEquals(
        new Verdict(Outcome.CANCELLED, "operation cancelled (cancel answered FAILED_PRECONDITION)"),
        AnswerTable.decide(refused, done(1), null));
    assertEquals(
        new Verdict(Outcome.CANCELLED, "operation cancelled"),
        AnswerTable.decide(CancelAttempt.ACCEPTED, done(1), null));
    assertEquals(
        new Verdict(Outcome.CANCELLED, "operation cancelled"),
        AnswerTable.decide(null, done(1), null));
  }

  @Test
  void decide_unchecked_saysWhyNothingCouldBeChecked() {
    assertEquals(
        new Verdict(Outcome.ERROR, "cancel accepted; the operation could not be checked"),
        AnswerTable.decide(CancelAttempt.ACCEPTED, null, null));
    CancelAttempt refused = CancelAttempt.failed(api(Code.FAILED_PRECONDITION, "busy", 1));
    assertEquals(
        new Verdict(
            Outcome.ERROR,
            "cancel answered FAILED_PRECONDITION (busy); the operation could not be checked"),
        AnswerTable.decide(refused, null, null));
    assertEquals(
        new Verdict(
            Outcome.ERROR,
            "cancel accepted; checking the operation failed after 4 attempt(s): UNAVAILABLE: down"),
        AnswerTable.decide(CancelAttempt.ACCEPTED, null, api(Code.UNAVAILABLE, "down", 4)));
  }

  @Test
  void decide_cancelNotFound_quotesTheApisMessage() {
    assertEquals(
        new Verdict(Outcome.NOT_FOUND, "cancel answered NOT_FOUND: gone"),
        AnswerTable.decide(CancelAttempt.failed(api(Code.NOT_FOUND, "gone", 1)), null, null));
  }

  @Test
  void httpError_takesTheCheckErrorFirst_thenTheCancelError_elseUnavailable() {
    CancelAttempt throttled = CancelAttempt.failed(api(Code.RESOURCE_EXHAUSTED, "slow down", 6));
    Verdict error = new Verdict(Outcome.ERROR, "d");
    Instant at = Instant.EPOCH;
    assertEquals(
        Code.UNAVAILABLE,
        AnswerTable.httpError(
                new CancelResult(
                    NAME, throttled, null, api(Code.UNAVAILABLE, "down", 6), error, at))
            .code());
    assertEquals(
        Code.RESOURCE_EXHAUSTED,
        AnswerTable.httpError(new CancelResult(NAME, throttled, null, null, error, at)).code());
    assertEquals(
        Code.UNAVAILABLE,
        AnswerTable.httpError(new CancelResult(NAME, null, null, null, error, at)).code());
    assertEquals(
        new RpcStatus(Code.INVALID_ARGUMENT, "bad"),
        AnswerTable.httpError(CancelResult.withoutCall(NAME, Outcome.INVALID_NAME, "bad", at)));
    assertEquals(
        new RpcStatus(Code.PERMISSION_DENIED, "no"),
        AnswerTable.httpError(CancelResult.withoutCall(NAME, Outcome.NOT_ALLOWED, "no", at)));
  }

  @Test
  void dropInError_countsAttemptsOnlyWhenRetriesOrTimeEndedIt() {
    assertEquals(
        new RpcStatus(Code.UNAVAILABLE, "down (after 3 attempt(s))"),
        AnswerTable.dropInError(api(Code.UNAVAILABLE, "down", 3)));
    assertEquals(
        new RpcStatus(Code.FAILED_PRECONDITION, "busy"),
        AnswerTable.dropInError(api(Code.FAILED_PRECONDITION, "busy", 1)));
    assertEquals(
        "late (after 0 attempt(s))",
        AnswerTable.dropInError(ApiException.outOfTime("late")).message());
  }
}
