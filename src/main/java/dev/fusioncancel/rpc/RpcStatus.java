package dev.fusioncancel.rpc;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Optional;

/**
 * A {@code google.rpc.Status} as Google REST APIs write it: {@code {"error": {"code": 404,
 * "status": "NOT_FOUND", "message": "..."}}}, where {@code code} is the HTTP status.
 */
public record RpcStatus(Code code, String message) {

  public RpcStatus {
    if (code == null) {
      throw new IllegalArgumentException("code is required");
    }
    message = message == null ? "" : message;
  }

  /** The HTTP status this status is answered with. */
  public int httpStatus() {
    return code.httpStatus();
  }

  /** The JSON error envelope, as written by Google REST APIs. */
  public JsonObject toJson() {
    JsonObject error = new JsonObject();
    error.addProperty("code", code.httpStatus());
    error.addProperty("message", message);
    error.addProperty("status", code.name());
    JsonObject root = new JsonObject();
    root.add("error", error);
    return root;
  }

  /** The JSON error envelope as a string. */
  public String toJsonString() {
    return toJson().toString();
  }

  /**
   * Reads an error body. The {@code status} string decides the code (AIP-193); the HTTP status is
   * the fallback when the body is missing, not JSON, names no status, or names {@code OK} on an
   * answer that is not a 2xx (an error body can never turn a failure into an accepted call).
   */
  public static RpcStatus fromHttp(int httpStatus, String body) {
    Code fallback = Code.ofHttpStatus(httpStatus);
    if (body == null || body.isBlank()) {
      return new RpcStatus(fallback, "HTTP " + httpStatus);
    }
    try {
      JsonElement root = JsonParser.parseString(body);
      if (root.isJsonObject() && root.getAsJsonObject().get("error") instanceof JsonObject error) {
        Code code =
            Optional.ofNullable(error.get("status"))
                .filter(JsonElement::isJsonPrimitive)
                .flatMap(s -> Code.ofName(s.getAsString()))
                // An error answer never means success, whatever its body says: "OK" (or a
                // missing status) on a non-2xx answer falls back to the HTTP status.
                .filter(c -> c != Code.OK || fallback == Code.OK)
                .orElse(fallback);
        String message =
            error.get("message") != null && error.get("message").isJsonPrimitive()
                ? error.get("message").getAsString()
                : "HTTP " + httpStatus;
        return new RpcStatus(code, message);
      }
    } catch (RuntimeException notJson) {
      // Fall through to the HTTP status: a proxy or load balancer may answer with HTML.
    }
    return new RpcStatus(fallback, "HTTP " + httpStatus);
  }
}
