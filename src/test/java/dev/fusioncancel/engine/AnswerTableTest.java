package dev.fusioncancel.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.outcome.CancelAttempt;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.rpc.RpcStatus;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class AnswerTableTest {
  private static final String NAME = "projects/my-project/locations/l/operations/o";

  static Operation running() {
    return new Operation(NAME, false, null, false, "update", "t", null, null, null, "v1");
  }

  static Operation doneWithError(int code) {
    return new Operation(
        NAME,
        true,
        new Operation.OperationError(code, "m"),
        false,
        "update",
        "t",
        null,
        null,
        true,
        "v1");
  }

  static Operation doneWithResponse() {
    return new Operation(NAME, true, null, true, "update", "t", null, null, null, "v1");
  }

  static ApiException err(Code code) {
    return new ApiException(new RpcStatus(code, "x"), code.httpStatus(), null, 3, null);
  }

  static CancelAttempt failed(Code code) {
    return CancelAttempt.failed(err(code));
  }

  static Stream<Arguments> table() {
    CancelAttempt ok = CancelAttempt.ACCEPTED;
    return Stream.of(
        Arguments.of(ok, doneWithError(1), null, Outcome.CANCELLED),
        Arguments.of(ok, doneWithResponse(), null, Outcome.COMPLETED),
        Arguments.of(ok, doneWithError(13), null, Outcome.FAILED),
        Arguments.of(ok, running(), null, Outcome.CANCELLING),
        Arguments.of(failed(Code.UNIMPLEMENTED), running(), null, Outcome.NOT_CANCELLABLE),
        Arguments.of(failed(Code.FAILED_PRECONDITION), running(), null, Outcome.NOT_CANCELLABLE),
        // After UNIMPLEMENTED/FAILED_PRECONDITION the operation may already be done.
        Arguments.of(failed(Code.FAILED_PRECONDITION), doneWithResponse(), null, Outcome.COMPLETED),
        Arguments.of(failed(Code.UNIMPLEMENTED), doneWithError(1), null, Outcome.CANCELLED),
        Arguments.of(failed(Code.NOT_FOUND), null, null, Outcome.NOT_FOUND),
        Arguments.of(failed(Code.PERMISSION_DENIED), null, null, Outcome.PERMISSION_DENIED),
        Arguments.of(failed(Code.UNAUTHENTICATED), null, null, Outcome.PERMISSION_DENIED),
        Arguments.of(failed(Code.INVALID_ARGUMENT), null, null, Outcome.ERROR),
        // Real services refuse in more than one way: every refusal is checked, and a refused
        // cancel of a running operation is NOT_CANCELLABLE, of a finished one what it became.
        Arguments.of(failed(Code.ABORTED), running(), null, Outcome.NOT_CANCELLABLE),
        Arguments.of(failed(Code.ALREADY_EXISTS), running(), null, Outcome.NOT_CANCELLABLE),
        Arguments.of(failed(Code.OUT_OF_RANGE), running(), null, Outcome.NOT_CANCELLABLE),
        Arguments.of(failed(Code.INVALID_ARGUMENT), running(), null, Outcome.NOT_CANCELLABLE),
        Arguments.of(failed(Code.ABORTED), doneWithResponse(), null, Outcome.COMPLETED),
        Arguments.of(failed(Code.ALREADY_EXISTS), doneWithError(1), null, Outcome.CANCELLED),
        Arguments.of(failed(Code.INTERNAL), doneWithResponse(), null, Outcome.COMPLETED),
        Arguments.of(failed(Code.INTERNAL), running(), null, Outcome.ERROR),
        Arguments.of(failed(Code.RESOURCE_EXHAUSTED), running(), null, Outcome.ERROR),
        // A listed operation reported without a cancel: what the listing shows.
        Arguments.of(null, doneWithError(1), null, Outcome.CANCELLED),
        Arguments.of(null, doneWithError(9), null, Outcome.FAILED),
        Arguments.of(failed(Code.UNAVAILABLE), running(), null, Outcome.ERROR),
        Arguments.of(failed(Code.UNAVAILABLE), doneWithResponse(), null, Outcome.COMPLETED),
        Arguments.of(failed(Code.UNAVAILABLE), null, err(Code.UNAVAILABLE), Outcome.ERROR),
        Arguments.of(ok, null, err(Code.UNAVAILABLE), Outcome.ERROR),
        Arguments.of(ok, null, err(Code.NOT_FOUND), Outcome.NOT_FOUND),
        Arguments.of(ok, null, err(Code.PERMISSION_DENIED), Outcome.PERMISSION_DENIED));
  }

  @ParameterizedTest
  @MethodSource("table")
  void decide_followsTheContractTable(
      CancelAttempt cancel, Operation op, ApiException checkError, Outcome expected) {
    assertEquals(expected, AnswerTable.decide(cancel, op, checkError).outcome());
  }

  @ParameterizedTest
  @EnumSource(Code.class)
  void checkAfterCancel_isSkippedOnlyForNotFoundAndPermission(Code code) {
    boolean skipped =
        code == Code.NOT_FOUND || code == Code.PERMISSION_DENIED || code == Code.UNAUTHENTICATED;
    assertEquals(!skipped, AnswerTable.checkAfterCancel(code));
  }

  @ParameterizedTest
  @EnumSource(Code.class)
  void reply_toAnUpstream4xx_isNeverA5xx(Code code) {
    int reply = AnswerTable.reply(code).httpStatus();
    // 499 is Google's "client closed request": here it means our own call was interrupted, which
    // is no answer of the API's, so it is the one 4xx-range code that becomes 503.
    if (code.httpStatus() >= 400 && code.httpStatus() < 500 && code != Code.CANCELLED) {
      assertTrue(reply >= 400 && reply < 500, code + " answered " + reply);
    }
    // 500 from the function means a bug of ours: no upstream answer maps to it.
    assertFalse(reply == 500, code + " answered 500");
  }

  @ParameterizedTest
  @EnumSource(Code.class)
  void httpError_forAnErrorOutcome_isNever500(Code code) {
    if (code == Code.OK) {
      return;
    }
    CancelResult r =
        new CancelResult(
            NAME,
            failed(code),
            null,
            err(code),
            AnswerTable.decide(failed(code), null, err(code)),
            Instant.EPOCH);
    if (!AnswerTable.answersOk(r.outcome())) {
      assertFalse(AnswerTable.httpError(r).httpStatus() == 500, code.name());
    }
  }

  @Test
  void httpError_mapsOutcomesAndTheLastAnswer() {
    CancelResult notFound =
        new CancelResult(
            NAME,
            failed(Code.NOT_FOUND),
            null,
            null,
            AnswerTable.decide(failed(Code.NOT_FOUND), null, null),
            Instant.EPOCH);
    assertEquals(404, AnswerTable.httpError(notFound).httpStatus());
    CancelResult throttled =
        new CancelResult(
            NAME,
            CancelAttempt.ACCEPTED,
            null,
            err(Code.RESOURCE_EXHAUSTED),
            AnswerTable.decide(CancelAttempt.ACCEPTED, null, err(Code.RESOURCE_EXHAUSTED)),
            Instant.EPOCH);
    assertEquals(Outcome.ERROR, throttled.outcome());
    assertEquals(429, AnswerTable.httpError(throttled).httpStatus());
    assertEquals(403, AnswerTable.dropInError(err(Code.UNAUTHENTICATED)).httpStatus());
    assertEquals(503, AnswerTable.dropInError(err(Code.DEADLINE_EXCEEDED)).httpStatus());
    assertEquals(409, AnswerTable.dropInError(err(Code.ABORTED)).httpStatus());
    assertEquals(501, AnswerTable.dropInError(err(Code.UNIMPLEMENTED)).httpStatus());
  }
}
