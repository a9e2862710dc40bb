package dev.fusioncancel.engine;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.outcome.CancelAttempt;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.outcome.Verdict;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.rpc.RpcStatus;
import java.util.EnumMap;
import java.util.Map;

/**
 * The one table that says what an upstream answer means: for each google.rpc code (from the body's
 * {@code error.status}, falling back to the HTTP status; see {@link RpcStatus#fromHttp}) whether a
 * cancel answered with it is followed by a check, what it makes of an operation that is still
 * running, what a check failing with it means, and what the HTTP function answers. Both functions
 * decide through it, so they cannot disagree.
 *
 * <p>Why a refused cancel is still checked: the operation may already be done (real services say
 * "already done" with FAILED_PRECONDITION, ABORTED, ALREADY_EXISTS...), and the check, not the
 * cancel answer, is the authority on what happened. Only NOT_FOUND and PERMISSION_DENIED /
 * UNAUTHENTICATED are final without a check: a GET would say the same. An upstream 4xx is always
 * answered with a 4xx; the 5xx answers are 503 (the API stayed unavailable) and the API's own 501.
 */
public final class AnswerTable {
  /**
   * One row.
   *
   * @param check whether a cancel answered with this code is followed by a check
   * @param ifRunning the outcome when a cancel answered this and the check saw it still running
   * @param unchecked the outcome when this answer is final and the operation was never seen
   * @param reply what the HTTP function answers when this code is the last word
   */
  private record Row(boolean check, Outcome ifRunning, Outcome unchecked, Code reply) {}

  private static final Map<Code, Row> ROWS = new EnumMap<>(Code.class);

  static {
    row(Code.OK, true, Outcome.CANCELLING, Outcome.ERROR, Code.OK);
    row(Code.CANCELLED, true, Outcome.ERROR, Outcome.ERROR, Code.UNAVAILABLE);
    row(Code.UNKNOWN, true, Outcome.ERROR, Outcome.ERROR, Code.UNAVAILABLE);
    row(Code.INVALID_ARGUMENT, true, Outcome.NOT_CANCELLABLE, Outcome.ERROR, Code.INVALID_ARGUMENT);
    row(Code.DEADLINE_EXCEEDED, true, Outcome.ERROR, Outcome.ERROR, Code.UNAVAILABLE);
    row(Code.NOT_FOUND, false, Outcome.NOT_FOUND, Outcome.NOT_FOUND, Code.NOT_FOUND);
    row(Code.ALREADY_EXISTS, true, Outcome.NOT_CANCELLABLE, Outcome.ERROR, Code.ALREADY_EXISTS);
    row(
        Code.PERMISSION_DENIED,
        false,
        Outcome.PERMISSION_DENIED,
        Outcome.PERMISSION_DENIED,
        Code.PERMISSION_DENIED);
    row(Code.RESOURCE_EXHAUSTED, true, Outcome.ERROR, Outcome.ERROR, Code.RESOURCE_EXHAUSTED);
    row(
        Code.FAILED_PRECONDITION,
        true,
        Outcome.NOT_CANCELLABLE,
        Outcome.ERROR,
        Code.FAILED_PRECONDITION);
    row(Code.ABORTED, true, Outcome.NOT_CANCELLABLE, Outcome.ERROR, Code.ABORTED);
    row(Code.OUT_OF_RANGE, true, Outcome.NOT_CANCELLABLE, Outcome.ERROR, Code.OUT_OF_RANGE);
    row(Code.UNIMPLEMENTED, true, Outcome.NOT_CANCELLABLE, Outcome.ERROR, Code.UNIMPLEMENTED);
    row(Code.INTERNAL, true, Outcome.ERROR, Outcome.ERROR, Code.UNAVAILABLE);
    row(Code.UNAVAILABLE, true, Outcome.ERROR, Outcome.ERROR, Code.UNAVAILABLE);
    row(Code.DATA_LOSS, true, Outcome.ERROR, Outcome.ERROR, Code.UNAVAILABLE);
    row(
        Code.UNAUTHENTICATED,
        false,
        Outcome.PERMISSION_DENIED,
        Outcome.PERMISSION_DENIED,
        Code.PERMISSION_DENIED);
  }

  private AnswerTable() {}

  private static void row(Code code, boolean check, Outcome ifRunning, Outcome unchecked, Code r) {
    ROWS.put(code, new Row(check, ifRunning, unchecked, r));
  }

  /** Whether a cancel answered with {@code code} is followed by a check of the operation. */
  public static boolean checkAfterCancel(Code code) {
    return ROWS.get(code).check();
  }

  /**
   * The verdict on one operation.
   *
   * @param cancel what the cancel answered (null: none was sent, e.g. reported from a listing)
   * @param seen the operation as last checked, or null when no check succeeded
   * @param checkError why the last check failed, or null
   */
  public static Verdict decide(CancelAttempt cancel, Operation seen, ApiException checkError) {
    Code said = cancel == null ? Code.OK : cancel.status();
    if (cancel != null && !checkAfterCancel(said)) {
      return new Verdict(
          ROWS.get(said).unchecked(), "cancel answered " + said + ": " + message(cancel.error()));
    }
    String how = cancel == null || cancel.accepted() ? "" : " (cancel answered " + said + ")";
    if (seen != null && seen.done()) {
      return fromDone(seen, how);
    }
    if (seen != null) {
      Outcome outcome = ROWS.get(said).ifRunning();
      String detail =
          switch (outcome) {
            case CANCELLING ->
                "cancel accepted; the operation was still running when the wait ended";
            case NOT_CANCELLABLE ->
                "cancel answered "
                    + said
                    + " ("
                    + message(cancel.error())
                    + ") and the operation is still running";
            default ->
                "cancel failed after "
                    + cancel.error().attempts()
                    + " attempt(s): "
                    + cancel.error().getMessage()
                    + "; the operation is still running";
          };
      return new Verdict(outcome, detail);
    }
    String cancelPart =
        cancel == null || cancel.accepted()
            ? "cancel accepted"
            : "cancel answered " + said + " (" + message(cancel.error()) + ")";
    if (checkError == null) {
      return new Verdict(Outcome.ERROR, cancelPart + "; the operation could not be checked");
    }
    Outcome outcome = ROWS.get(checkError.code()).unchecked();
    if (outcome != Outcome.ERROR) {
      return new Verdict(outcome, "get answered " + checkError.code() + ": " + message(checkError));
    }
    return new Verdict(
        Outcome.ERROR,
        cancelPart
            + "; checking the operation failed after "
            + checkError.attempts()
            + " attempt(s): "
            + checkError.getMessage());
  }

  private static Verdict fromDone(Operation op, String how) {
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

  /**
   * Whether the HTTP function answers this outcome with 200 and the outcome document (the rest are
   * {@code google.rpc.Status} errors, see {@link #httpError}).
   */
  public static boolean answersOk(Outcome outcome) {
    return switch (outcome) {
      case CANCELLED, COMPLETED, FAILED, CANCELLING, NOT_CANCELLABLE, DRY_RUN -> true;
      default -> false;
    };
  }

  /** The HTTP function's error for a result that is not answered with 200. */
  public static RpcStatus httpError(CancelResult result) {
    String detail = result.verdict().detail();
    return switch (result.outcome()) {
      case NOT_FOUND -> new RpcStatus(Code.NOT_FOUND, detail);
      case PERMISSION_DENIED, NOT_ALLOWED -> new RpcStatus(Code.PERMISSION_DENIED, detail);
      case INVALID_NAME -> new RpcStatus(Code.INVALID_ARGUMENT, detail);
      default -> {
        ApiException last =
            result.checkError() != null
                ? result.checkError()
                : result.attempt() == null ? null : result.attempt().error();
        yield new RpcStatus(last == null ? Code.UNAVAILABLE : reply(last.code()), detail);
      }
    };
  }

  /** What the drop-in path answers for a cancel that was not accepted: the API's word, mapped. */
  public static RpcStatus dropInError(ApiException e) {
    String message = message(e);
    if (e.retryable() || e.isOutOfTime()) {
      message = message + " (after " + e.attempts() + " attempt(s))";
    }
    return new RpcStatus(reply(e.code()), message);
  }

  /** The code the HTTP function answers when {@code code} is the API's last word. */
  public static Code reply(Code code) {
    return ROWS.get(code).reply();
  }

  private static String message(ApiException e) {
    return e == null ? "" : e.status().message();
  }
}
