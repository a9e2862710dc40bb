package dev.fusioncancel.emulator;

import com.google.gson.JsonObject;
import dev.fusioncancel.rpc.Code;
import java.time.Instant;

/** A seeded operation and the one thing that changes over its life: when a cancel was accepted. */
final class StoredOperation {
  static final String CANCELLED_MESSAGE = "Operation was cancelled.";

  /** What the operation looks like at one instant. */
  record State(
      boolean done,
      Instant endTime,
      boolean requestedCancellation,
      Code errorCode,
      String errorMessage) {

    static State running(boolean requestedCancellation) {
      return new State(false, null, requestedCancellation, null, null);
    }

    static State succeeded(Instant end, boolean requestedCancellation) {
      return new State(true, end, requestedCancellation, null, null);
    }

    static State failed(Instant end, boolean requestedCancellation, Code code, String message) {
      return new State(true, end, requestedCancellation, code, message);
    }
  }

  final SeededOperation seed;
  private Instant cancelAt; // guarded by this

  StoredOperation(SeededOperation seed) {
    this.seed = seed;
  }

  synchronized Instant cancelAt() {
    return cancelAt;
  }

  /**
   * Applies a cancel at {@code now}: answers null when accepted (200), else the error code the
   * cancel call answers with. A cancel on a done operation, or a repeated one, changes nothing.
   */
  synchronized Code cancel(Instant now) {
    Behaviour b = seed.behaviour();
    switch (b.kind()) {
      case CANCEL_UNIMPLEMENTED:
        return Code.UNIMPLEMENTED;
      case CANCEL_FAILED_PRECONDITION:
        return Code.FAILED_PRECONDITION;
      case PERMISSION_DENIED:
        return Code.PERMISSION_DENIED;
      default:
        if (cancelAt == null && !state(now).done()) {
          cancelAt = now;
        }
        return null;
    }
  }

  /** The state at {@code now}, computed from the behaviour, the create time and the cancel. */
  synchronized State state(Instant now) {
    Behaviour b = seed.behaviour();
    Instant created = seed.createTime();
    boolean requested = cancelAt != null;
    switch (b.kind()) {
      case FINISHES_AFTER:
        {
          Instant finishAt = created.plus(b.delay());
          if (requested) {
            Instant cancelledAt = cancelAt.plus(b.cancelDelay());
            if (cancelledAt.isBefore(finishAt)) {
              return !now.isBefore(cancelledAt)
                  ? State.failed(cancelledAt, true, Code.CANCELLED, CANCELLED_MESSAGE)
                  : State.running(true);
            }
          }
          return !now.isBefore(finishAt)
              ? State.succeeded(finishAt, requested)
              : State.running(requested);
        }
      case CANCELLABLE:
        if (requested) {
          Instant cancelledAt = cancelAt.plus(b.cancelDelay());
          if (!now.isBefore(cancelledAt)) {
            return State.failed(cancelledAt, true, Code.CANCELLED, CANCELLED_MESSAGE);
          }
        }
        return State.running(requested);
      case COMPLETES_DESPITE_CANCEL:
        if (requested) {
          Instant finishAt = cancelAt.plus(b.delay());
          if (!now.isBefore(finishAt)) {
            return State.succeeded(finishAt, true);
          }
        }
        return State.running(requested);
      case ALREADY_DONE:
        return State.succeeded(created, false);
      case ALREADY_FAILED:
        return State.failed(created, false, b.errorCode(), b.errorMessage());
      case NEVER_FINISHES:
      case CANCEL_UNIMPLEMENTED:
      case CANCEL_FAILED_PRECONDITION:
      case PERMISSION_DENIED:
      default:
        return State.running(requested);
    }
  }

  /**
   * The operation as the REST API shows it. As in every Google API's JSON, fields at their default
   * are omitted: {@code done} only when true, {@code requestedCancellation} only when true.
   */
  JsonObject toJson(Instant now, String version) {
    State s = state(now);
    JsonObject metadata = new JsonObject();
    metadata.addProperty(
        "@type", "type.googleapis.com/google.cloud.datafusion." + version + ".OperationMetadata");
    metadata.addProperty("createTime", seed.createTime().toString());
    if (s.done()) {
      metadata.addProperty("endTime", s.endTime().toString());
    }
    metadata.addProperty("target", seed.target());
    metadata.addProperty("verb", seed.verb());
    if (s.requestedCancellation()) {
      metadata.addProperty("requestedCancellation", true);
    }
    metadata.addProperty("apiVersion", version);

    JsonObject op = new JsonObject();
    op.addProperty("name", seed.name());
    op.add("metadata", metadata);
    if (s.done()) {
      op.addProperty("done", true);
      if (s.errorCode() != null) {
        JsonObject error = new JsonObject();
        error.addProperty("code", s.errorCode().number());
        error.addProperty("message", s.errorMessage());
        op.add("error", error);
      } else {
        JsonObject response = new JsonObject();
        response.addProperty(
            "@type", "type.googleapis.com/google.cloud.datafusion." + version + ".Instance");
        response.addProperty("name", seed.target());
        op.add("response", response);
      }
    }
    return op;
  }
}
