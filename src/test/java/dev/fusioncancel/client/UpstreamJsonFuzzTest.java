package dev.fusioncancel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.rpc.RpcStatus;
import dev.fusioncancel.testing.FuzzJson;
import dev.fusioncancel.testing.FuzzText;
import java.util.Optional;

/**
 * Coverage-guided fuzzing of what the Data Fusion API sends back (the upstream is untrusted too):
 * Operation JSON, list pages and {@code google.rpc.Status} error bodies. Reading never throws
 * anything but the documented refusal; an Operation that was read round-trips through its canonical
 * JSON; an error body gives the code its {@code status} names, else the HTTP status's.
 */
class UpstreamJsonFuzzTest {
  static final String[] OPERATION = {"name", "done", "error", "response", "metadata"};
  static final String[] METADATA = {
    "verb", "target", "createTime", "endTime", "requestedCancellation", "apiVersion", "@type"
  };
  static final String[] TIMES = {
    "2026-11-26T12:00:00Z", "2026-11-26T12:00:00.123456789Z", "2026-11-26T12:00:00+01:00", "x", ""
  };
  private static final String[] STATUSES = {
    "OK", "CANCELLED", "NOT_FOUND", "FAILED_PRECONDITION", "UNAVAILABLE", "RESOURCE_EXHAUSTED",
    "PERMISSION_DENIED", "UNIMPLEMENTED", "ok", "", "BOGUS", "INTERNAL"
  };
  private static final int[] HTTP = {
    200, 204, 400, 401, 403, 404, 409, 429, 500, 501, 503, 302, 418
  };

  @FuzzTest(maxDuration = "30s")
  void operationJson_isReadWithoutThrowing_andRoundTrips(FuzzedDataProvider data) {
    String body = operationJson(data);
    JsonElement root;
    try {
      root = JsonParser.parseString(body);
    } catch (RuntimeException notJson) {
      return; // the client answers UNKNOWN for a 2xx body that is not JSON
    }
    if (!root.isJsonObject()) {
      return;
    }
    Operation op = Operation.fromJson(root.getAsJsonObject());
    assertEquals(op, Operation.fromJson(canonical(op)), () -> "canonical form of " + body);
    JsonElement name = root.getAsJsonObject().get("name");
    if (name != null && name.isJsonPrimitive()) {
      assertEquals(name.getAsString(), op.name());
    }
  }

  @FuzzTest(maxDuration = "30s")
  void errorBody_givesTheCodeItsStatusNames_orTheHttpStatussCode(FuzzedDataProvider data) {
    int http = data.consumeBoolean() ? data.pickValue(HTTP) : data.consumeInt(100, 599);
    String body =
        data.consumeInt(0, 7) == 0
            ? data.consumeString(200)
            : FuzzJson.members(
                data,
                new String[] {"error"},
                (d, key) ->
                    FuzzJson.members(
                        d,
                        new String[] {"code", "status", "message", "details"},
                        (dd, k) ->
                            switch (k) {
                              case "status" -> FuzzJson.string(dd, dd.pickValue(STATUSES));
                              case "code" -> Integer.toString(dd.pickValue(HTTP));
                              case "message" -> FuzzJson.string(dd, dd.consumeString(40));
                              default -> FuzzJson.value(dd, 2, METADATA, STATUSES);
                            }));
    RpcStatus status = RpcStatus.fromHttp(http, body);
    assertNotNull(status.code());
    assertNotNull(status.message());
    assertEquals(expectedCode(http, body), status.code(), () -> http + " " + body);
    if (http < 200 || http >= 300) {
      org.junit.jupiter.api.Assertions.assertNotEquals(
          Code.OK, status.code(), () -> "an error answer read as OK: " + http + " " + body);
    }
  }

  /**
   * A list page: {@link HttpOperationsApi#parsePage} refuses with a RuntimeException (documented:
   * the client answers UNKNOWN) or gives a page whose canonical JSON reads back the same, and an
   * empty token means the last page.
   */
  @FuzzTest(maxDuration = "30s")
  void listPage_isRefusedOrRoundTrips(FuzzedDataProvider data) {
    String body =
        data.consumeInt(0, 7) == 0
            ? data.consumeString(300)
            : FuzzJson.members(
                data,
                new String[] {"operations", "nextPageToken", "unreachable"},
                (d, key) ->
                    switch (key) {
                      case "operations" -> {
                        StringBuilder sb = new StringBuilder("[");
                        int n = d.consumeInt(0, 3);
                        for (int i = 0; i < n; i++) {
                          sb.append(i == 0 ? "" : ",").append(operationJson(d));
                        }
                        yield sb.append("]").toString();
                      }
                      case "nextPageToken" ->
                          FuzzJson.string(d, d.pickValue(new String[] {"", "t1", "a b", "%2F"}));
                      default -> FuzzJson.value(d, 2, OPERATION, TIMES);
                    });
    OperationPage page;
    try {
      page = HttpOperationsApi.parsePage(body);
    } catch (RuntimeException refused) {
      return;
    }
    com.google.gson.JsonArray ops = new com.google.gson.JsonArray();
    page.operations().forEach(op -> ops.add(canonical(op)));
    JsonObject canonical = new JsonObject();
    canonical.add("operations", ops);
    if (page.nextPageToken() != null) {
      canonical.addProperty("nextPageToken", page.nextPageToken());
    }
    assertEquals(page, HttpOperationsApi.parsePage(canonical.toString()), body);
    org.junit.jupiter.api.Assertions.assertTrue(
        page.nextPageToken() == null || !page.nextPageToken().isEmpty());
  }

  /**
   * The contract's rule, written apart from RpcStatus: the body's status name, else the HTTP's;
   * never OK for an answer that is not a 2xx.
   */
  static Code expectedCode(int http, String body) {
    Code fallback = Code.ofHttpStatus(http);
    try {
      JsonElement root = JsonParser.parseString(body);
      if (root.isJsonObject() && root.getAsJsonObject().get("error") instanceof JsonObject error) {
        JsonElement s = error.get("status");
        Optional<Code> named =
            s != null && s.isJsonPrimitive() ? Code.ofName(s.getAsString()) : Optional.empty();
        return named.filter(c -> c != Code.OK || fallback == Code.OK).orElse(fallback);
      }
    } catch (RuntimeException notJson) {
      // the HTTP status decides
    }
    return fallback;
  }

  static String operationJson(FuzzedDataProvider data) {
    if (data.consumeInt(0, 7) == 0) {
      return data.consumeString(300);
    }
    return FuzzJson.members(data, OPERATION, UpstreamJsonFuzzTest::operationField);
  }

  private static String operationField(FuzzedDataProvider d, String key) {
    if (d.consumeInt(0, 7) == 0) {
      return FuzzJson.value(d, 2, METADATA, TIMES);
    }
    return switch (key) {
      case "name" -> FuzzJson.string(d, FuzzText.operationName(d));
      case "done" -> Boolean.toString(d.consumeBoolean());
      case "error" ->
          FuzzJson.members(
              d,
              new String[] {"code", "message"},
              (dd, k) ->
                  k.equals("code")
                      ? dd.pickValue(
                          new String[] {"1", "2", "9", "0", "-1", "1.5", "1e400", "\"1\""})
                      : FuzzJson.string(dd, dd.consumeString(30)));
      case "response" -> "{}";
      default ->
          FuzzJson.members(
              d,
              METADATA,
              (dd, k) ->
                  switch (k) {
                    case "createTime", "endTime" -> FuzzJson.string(dd, dd.pickValue(TIMES));
                    case "requestedCancellation" -> Boolean.toString(dd.consumeBoolean());
                    default -> FuzzJson.string(dd, dd.consumeString(20));
                  });
    };
  }

  /** The canonical JSON of an Operation: what the API would have had to send to mean it. */
  static JsonObject canonical(Operation op) {
    JsonObject o = new JsonObject();
    if (op.name() != null) {
      o.addProperty("name", op.name());
    }
    o.addProperty("done", op.done());
    if (op.error() != null) {
      JsonObject e = new JsonObject();
      e.addProperty("code", op.error().code());
      if (op.error().message() != null) {
        e.addProperty("message", op.error().message());
      }
      o.add("error", e);
    }
    if (op.hasResponse()) {
      o.add("response", new JsonObject());
    }
    JsonObject m = new JsonObject();
    if (op.verb() != null) {
      m.addProperty("verb", op.verb());
    }
    if (op.target() != null) {
      m.addProperty("target", op.target());
    }
    if (op.createTime() != null) {
      m.addProperty("createTime", op.createTime().toString());
    }
    if (op.endTime() != null) {
      m.addProperty("endTime", op.endTime().toString());
    }
    if (op.requestedCancellation() != null) {
      m.addProperty("requestedCancellation", op.requestedCancellation());
    }
    if (op.apiVersion() != null) {
      m.addProperty("apiVersion", op.apiVersion());
    }
    o.add("metadata", m);
    return o;
  }
}
