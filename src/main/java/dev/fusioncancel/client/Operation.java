package dev.fusioncancel.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A long-running operation as Data Fusion reports it ({@code google.longrunning.Operation} with
 * {@code OperationMetadata}). Fields the API did not report are null.
 */
public record Operation(
    String name,
    boolean done,
    OperationError error,
    boolean hasResponse,
    String verb,
    String target,
    Instant createTime,
    Instant endTime,
    Boolean requestedCancellation,
    String apiVersion) {

  /** The {@code error} of a finished operation: a google.rpc code number and message. */
  public record OperationError(int code, String message) {}

  /** Reads the API's JSON leniently: unknown fields are ignored, malformed ones become null. */
  public static Operation fromJson(JsonObject json) {
    JsonObject metadata = object(json, "metadata");
    JsonObject error = object(json, "error");
    OperationError err = null;
    if (error != null) {
      Integer code = int32(error, "code");
      err = new OperationError(code == null ? 2 : code, string(error, "message"));
    }
    Boolean done = bool(json, "done");
    return new Operation(
        string(json, "name"),
        done != null && done,
        err,
        json.has("response") && !json.get("response").isJsonNull(),
        metadata == null ? null : string(metadata, "verb"),
        metadata == null ? null : string(metadata, "target"),
        metadata == null ? null : instant(metadata, "createTime"),
        metadata == null ? null : instant(metadata, "endTime"),
        metadata == null ? null : bool(metadata, "requestedCancellation"),
        metadata == null ? null : string(metadata, "apiVersion"));
  }

  private static JsonObject object(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
  }

  private static String string(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
  }

  /**
   * A whole int32 (proto3 JSON writes it as a number or a string), or null for anything else: a
   * string that is no number, a fraction, an overflow (a fuzzing finding, where a lazily parsed
   * number threw later, outside any check).
   */
  private static Integer int32(JsonObject o, String key) {
    JsonElement e = o.get(key);
    if (e == null || !e.isJsonPrimitive() || e.getAsJsonPrimitive().isBoolean()) {
      return null;
    }
    try {
      return e.getAsBigDecimal().intValueExact();
    } catch (NumberFormatException | ArithmeticException notInt32) {
      return null;
    }
  }

  private static Boolean bool(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()
        ? e.getAsBoolean()
        : null;
  }

  private static Instant instant(JsonObject o, String key) {
    String s = string(o, key);
    try {
      return s == null ? null : Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
