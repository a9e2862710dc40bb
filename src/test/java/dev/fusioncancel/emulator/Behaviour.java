package dev.fusioncancel.emulator;

import dev.fusioncancel.rpc.Code;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How a seeded operation behaves over time and when cancelled. Everything is computed lazily from
 * the emulator's clock on each request, so tests that move a {@link MutableClock} are
 * deterministic.
 */
public final class Behaviour {

  /** The kinds of scripted behaviour. */
  public enum Kind {
    /** Running; completes with a response after a delay unless cancelled first. */
    FINISHES_AFTER,
    /** Never finishes on its own; a cancel ends it with CANCELLED after a delay. */
    CANCELLABLE,
    /** Cancel is accepted, but the operation then completes with a response anyway. */
    COMPLETES_DESPITE_CANCEL,
    /** Cancel answers 501 UNIMPLEMENTED; keeps running. */
    CANCEL_UNIMPLEMENTED,
    /** Cancel answers 400 FAILED_PRECONDITION; keeps running. */
    CANCEL_FAILED_PRECONDITION,
    /** Already done with a response; cancel is a no-op. */
    ALREADY_DONE,
    /** Already done with an error; cancel is a no-op. */
    ALREADY_FAILED,
    /** Cancel is accepted and recorded, but the operation never finishes. */
    NEVER_FINISHES,
    /** Every call on the operation answers 403; list does not show it. */
    PERMISSION_DENIED
  }

  private final Kind kind;
  private final Duration delay;
  private final Duration cancelDelay;
  private final Code errorCode;
  private final String errorMessage;

  private Behaviour(
      Kind kind, Duration delay, Duration cancelDelay, Code errorCode, String errorMessage) {
    this.kind = kind;
    this.delay = nonNegative(delay, "delay");
    this.cancelDelay = nonNegative(cancelDelay, "cancelDelay");
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
  }

  /** Completes with a response {@code d} after creation; a cancel before that ends it at once. */
  public static Behaviour finishesAfter(Duration d) {
    return finishesAfter(d, Duration.ZERO);
  }

  /**
   * Completes {@code d} after creation; a cancel ends it as CANCELLED {@code cancelDelay} later.
   */
  public static Behaviour finishesAfter(Duration d, Duration cancelDelay) {
    return new Behaviour(Kind.FINISHES_AFTER, d, cancelDelay, null, null);
  }

  /** Runs until cancelled, then is done with CANCELLED {@code cancelDelay} after the cancel. */
  public static Behaviour cancellable(Duration cancelDelay) {
    return new Behaviour(Kind.CANCELLABLE, Duration.ZERO, cancelDelay, null, null);
  }

  /** Runs until cancelled and is done with CANCELLED right at the cancel. */
  public static Behaviour cancellable() {
    return cancellable(Duration.ZERO);
  }

  /** Accepts a cancel, then completes with a response {@code d} after it anyway. */
  public static Behaviour completesDespiteCancel(Duration d) {
    return new Behaviour(Kind.COMPLETES_DESPITE_CANCEL, d, Duration.ZERO, null, null);
  }

  /** Cancel answers 501 UNIMPLEMENTED and the operation keeps running. */
  public static Behaviour cancelUnimplemented() {
    return new Behaviour(Kind.CANCEL_UNIMPLEMENTED, Duration.ZERO, Duration.ZERO, null, null);
  }

  /** Cancel answers 400 FAILED_PRECONDITION and the operation keeps running. */
  public static Behaviour cancelFailedPrecondition() {
    return new Behaviour(Kind.CANCEL_FAILED_PRECONDITION, Duration.ZERO, Duration.ZERO, null, null);
  }

  /** Already done with a response; cancel answers 200 and changes nothing. */
  public static Behaviour alreadyDone() {
    return new Behaviour(Kind.ALREADY_DONE, Duration.ZERO, Duration.ZERO, null, null);
  }

  /** Already done with the given error; cancel answers 200 and changes nothing. */
  public static Behaviour alreadyFailed(Code code, String message) {
    Objects.requireNonNull(code, "code");
    if (code == Code.OK) {
      throw new IllegalArgumentException("an operation error cannot be OK");
    }
    return new Behaviour(
        Kind.ALREADY_FAILED, Duration.ZERO, Duration.ZERO, code, message == null ? "" : message);
  }

  /** Already done with the error of numeric google.rpc code {@code code}. */
  public static Behaviour alreadyFailed(int code, String message) {
    return alreadyFailed(
        Code.ofNumber(code)
            .orElseThrow(() -> new IllegalArgumentException("unknown google.rpc code " + code)),
        message);
  }

  /** Cancel is accepted ({@code requestedCancellation=true}) but the operation never finishes. */
  public static Behaviour neverFinishes() {
    return new Behaviour(Kind.NEVER_FINISHES, Duration.ZERO, Duration.ZERO, null, null);
  }

  /** Every get, cancel and delete answers 403 PERMISSION_DENIED; list does not show it. */
  public static Behaviour permissionDenied() {
    return new Behaviour(Kind.PERMISSION_DENIED, Duration.ZERO, Duration.ZERO, null, null);
  }

  /**
   * The behaviour named as in the admin API ({@code finishesAfter}, {@code cancellable}, ...; case
   * and {@code _} insensitive); {@code delay} is the kind's main duration.
   */
  public static Behaviour parse(
      String name, Duration delay, Duration cancelDelay, Integer code, String message) {
    String key =
        name == null ? "" : name.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    Duration d = delay == null ? Duration.ZERO : delay;
    Duration cd = cancelDelay == null ? Duration.ZERO : cancelDelay;
    return switch (key) {
      case "finishesafter" -> finishesAfter(d, cd);
      case "cancellable" -> cancellable(delay == null ? cd : d);
      case "completesdespitecancel" -> completesDespiteCancel(d);
      case "cancelunimplemented" -> cancelUnimplemented();
      case "cancelfailedprecondition" -> cancelFailedPrecondition();
      case "alreadydone" -> alreadyDone();
      case "alreadyfailed" -> alreadyFailed(code == null ? Code.INTERNAL.number() : code, message);
      case "neverfinishes" -> neverFinishes();
      case "permissiondenied" -> permissionDenied();
      default -> throw new IllegalArgumentException("unknown behaviour: " + name);
    };
  }

  /** Which kind of behaviour this is. */
  public Kind kind() {
    return kind;
  }

  /** The kind's main duration (finish delay, or completion delay after cancel). */
  public Duration delay() {
    return delay;
  }

  /** How long after an accepted cancel the operation is done with CANCELLED. */
  public Duration cancelDelay() {
    return cancelDelay;
  }

  /** The error code of an {@link Kind#ALREADY_FAILED} operation, else null. */
  public Code errorCode() {
    return errorCode;
  }

  /** The error message of an {@link Kind#ALREADY_FAILED} operation, else null. */
  public String errorMessage() {
    return errorMessage;
  }

  /** A short human-readable description, e.g. {@code finishesAfter(PT30S, cancelDelay=PT0S)}. */
  public String describe() {
    return switch (kind) {
      case FINISHES_AFTER -> "finishesAfter(" + delay + ", cancelDelay=" + cancelDelay + ")";
      case CANCELLABLE -> "cancellable(cancelDelay=" + cancelDelay + ")";
      case COMPLETES_DESPITE_CANCEL -> "completesDespiteCancel(" + delay + ")";
      case CANCEL_UNIMPLEMENTED -> "cancelUnimplemented()";
      case CANCEL_FAILED_PRECONDITION -> "cancelFailedPrecondition()";
      case ALREADY_DONE -> "alreadyDone()";
      case ALREADY_FAILED -> "alreadyFailed(" + errorCode + ", \"" + errorMessage + "\")";
      case NEVER_FINISHES -> "neverFinishes()";
      case PERMISSION_DENIED -> "permissionDenied()";
    };
  }

  @Override
  public String toString() {
    return describe();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Behaviour b
        && kind == b.kind
        && delay.equals(b.delay)
        && cancelDelay.equals(b.cancelDelay)
        && errorCode == b.errorCode
        && Objects.equals(errorMessage, b.errorMessage);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, delay, cancelDelay, errorCode, errorMessage);
  }

  private static Duration nonNegative(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + d);
    }
    return d;
  }
}
