package dev.fusioncancel.outcome;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.rpc.Code;

/**
 * Decides the contract's outcome from what {@code :cancel} answered and what the operation looked
 * like afterwards. Pure: no I/O, no clock.
 */
public final class OutcomeClassifier {
  private OutcomeClassifier() {}

  /**
   * Classifies one cancel.
   *
   * @param cancel what the cancel call answered
   * @param operation the operation as last fetched, or null when it was not (or could not be)
   * @param checkError why the fetch failed, or null
   */
  public static Verdict classify(
      CancelAttempt cancel, Operation operation, ApiException checkError) {
    if (!cancel.worthChecking()) {
      return fromError(cancel.error(), "cancel");
    }
    if (operation != null && operation.done()) {
      return fromDone(operation, cancel);
    }
    if (operation != null) {
      if (cancel.accepted()) {
        return new Verdict(
            Outcome.CANCELLING,
            "cancel accepted; the operation was still running when the wait ended");
      }
      if (cancel.refusedAsNotCancellable()) {
        return new Verdict(
            Outcome.NOT_CANCELLABLE,
            "cancel answered "
                + cancel.status()
                + (cancel.error() == null ? "" : " (" + cancel.error().status().message() + ")")
                + " and the operation is still running");
      }
      return new Verdict(
          Outcome.ERROR,
          "cancel failed after "
              + cancel.error().attempts()
              + " attempt(s): "
              + cancel.error().getMessage()
              + "; the operation is still running");
    }
    if (checkError != null
        && (checkError.code() == Code.NOT_FOUND || checkError.code() == Code.PERMISSION_DENIED)) {
      return fromError(checkError, "get");
    }
    String cancelPart =
        cancel.accepted()
            ? "cancel accepted"
            : "cancel answered " + cancel.status() + " (" + cancel.error().getMessage() + ")";
    String checkPart =
        checkError == null
            ? "the operation was not checked"
            : "checking the operation failed after "
                + checkError.attempts()
                + " attempt(s): "
                + checkError.getMessage();
    return new Verdict(Outcome.ERROR, cancelPart + "; " + checkPart);
  }

  private static Verdict fromDone(Operation op, CancelAttempt cancel) {
    String how = cancel.accepted() ? "" : " (cancel answered " + cancel.status() + ")";
    if (op.error() != null) {
      if (op.error().code() == Code.CANCELLED.number()) {
        return new Verdict(Outcome.CANCELLED, "operation cancelled" + how);
      }
      String code =
          Code.ofNumber(op.error().code()).map(Enum::name).orElse("code " + op.error().code());
      return new Verdict(
          Outcome.FAILED,
          "operation finished with error " + code + ": " + op.error().message() + how);
    }
    return new Verdict(Outcome.COMPLETED, "operation finished before or despite the cancel" + how);
  }

  private static Verdict fromError(ApiException e, String call) {
    Code code = e.code();
    return switch (code) {
      case NOT_FOUND ->
          new Verdict(Outcome.NOT_FOUND, call + " answered NOT_FOUND: " + e.status().message());
      case PERMISSION_DENIED, UNAUTHENTICATED ->
          new Verdict(
              Outcome.PERMISSION_DENIED, call + " answered " + code + ": " + e.status().message());
      default ->
          new Verdict(Outcome.ERROR, call + " answered " + code + ": " + e.status().message());
    };
  }
}
