package dev.fusioncancel.outcome;

import com.google.gson.JsonObject;
import dev.fusioncancel.client.Operation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome document: the HTTP function's answer and the data of each outcome event. Fields the
 * API did not report are null and omitted from the JSON.
 */
public record OutcomeEvent(
    String eventId,
    String requestId,
    String operation,
    Outcome outcome,
    String detail,
    String cancelStatus,
    Boolean done,
    Operation.OperationError error,
    Boolean requestedCancellation,
    String verb,
    String target,
    Instant createTime,
    Instant checkedAt,
    boolean dryRun) {

  /** The document for one result of a request. */
  public static OutcomeEvent of(String requestId, CancelResult result, boolean dryRun) {
    Operation op = result.operation();
    return new OutcomeEvent(
        EventIds.of(requestId, result.name()),
        requestId,
        result.name(),
        result.outcome(),
        result.verdict().detail(),
        result.attempt() == null ? null : result.attempt().status().name(),
        op == null ? null : op.done(),
        op == null ? null : op.error(),
        op == null ? null : op.requestedCancellation(),
        op == null ? null : op.verb(),
        op == null ? null : op.target(),
        op == null ? null : op.createTime(),
        result.checkedAt(),
        dryRun);
  }

  /** The contract's JSON, in the contract's field order. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    put(o, "eventId", eventId);
    put(o, "requestId", requestId);
    put(o, "operation", operation);
    put(o, "outcome", outcome.name());
    put(o, "detail", detail);
    put(o, "cancelStatus", cancelStatus);
    if (done != null) {
      o.addProperty("done", done);
    }
    if (error != null) {
      JsonObject e = new JsonObject();
      e.addProperty("code", error.code());
      if (error.message() != null) {
        e.addProperty("message", error.message());
      }
      o.add("error", e);
    }
    if (requestedCancellation != null) {
      o.addProperty("requestedCancellation", requestedCancellation);
    }
    put(o, "verb", verb);
    put(o, "target", target);
    put(o, "createTime", createTime == null ? null : createTime.toString());
    put(o, "checkedAt", checkedAt == null ? null : checkedAt.toString());
    o.addProperty("dryRun", dryRun);
    return o;
  }

  /** The Pub/Sub attributes of the event. */
  public Map<String, String> attributes() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("outcome", outcome.name());
    a.put("operation", operation);
    a.put("requestId", requestId);
    a.put("eventId", eventId);
    a.put("dryRun", Boolean.toString(dryRun));
    return a;
  }

  private static void put(JsonObject o, String key, String value) {
    if (value != null) {
      o.addProperty(key, value);
    }
  }
}
