package dev.fusioncancel.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.rpc.RpcStatus;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OutcomeClassifierTest {
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
        Arguments.of(failed(Code.UNAVAILABLE), running(), null, Outcome.ERROR),
        Arguments.of(failed(Code.UNAVAILABLE), doneWithResponse(), null, Outcome.COMPLETED),
        Arguments.of(failed(Code.UNAVAILABLE), null, err(Code.UNAVAILABLE), Outcome.ERROR),
        Arguments.of(ok, null, err(Code.UNAVAILABLE), Outcome.ERROR),
        Arguments.of(ok, null, err(Code.NOT_FOUND), Outcome.NOT_FOUND),
        Arguments.of(ok, null, err(Code.PERMISSION_DENIED), Outcome.PERMISSION_DENIED));
  }

  @ParameterizedTest
  @MethodSource("table")
  void classify_followsTheContractTable(
      CancelAttempt cancel, Operation op, ApiException checkError, Outcome expected) {
    assertEquals(expected, OutcomeClassifier.classify(cancel, op, checkError).outcome());
  }
}
