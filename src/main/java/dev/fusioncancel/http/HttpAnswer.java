package dev.fusioncancel.http;

import com.google.gson.JsonObject;
import dev.fusioncancel.rpc.RpcStatus;
import java.util.Map;

/** What the function answers: status, JSON body and extra headers. */
public record HttpAnswer(int status, JsonObject body, Map<String, String> headers) {

  /** A 2xx or other answer with a JSON body. */
  public static HttpAnswer json(int status, JsonObject body) {
    return new HttpAnswer(status, body, Map.of());
  }

  /** An error answer: a {@code google.rpc.Status} body with the matching HTTP status. */
  public static HttpAnswer error(RpcStatus status) {
    return new HttpAnswer(status.httpStatus(), status.toJson(), Map.of());
  }

  /** The same answer with one more header. */
  public HttpAnswer withHeader(String name, String value) {
    java.util.Map<String, String> h = new java.util.LinkedHashMap<>(headers);
    h.put(name, value);
    return new HttpAnswer(status, body, Map.copyOf(h));
  }
}
