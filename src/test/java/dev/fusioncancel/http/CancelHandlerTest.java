package dev.fusioncancel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.fusioncancel.client.InMemoryOperationsApi;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.outcome.PollSettings;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.time.FakeTime;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CancelHandlerTest {
  private static final String NAME = "projects/my-project/locations/us-central1/operations/op-1";
  private final FakeTime time = new FakeTime();
  private final InMemoryOperationsApi api = new InMemoryOperationsApi();

  private CancelHandler handler(Map<String, String> env) {
    return new CancelHandler(
        Config.from(env),
        new dev.fusioncancel.engine.CancelEngine(
            api.client(time), time, time, time, PollSettings.DEFAULT, 100),
        time,
        time,
        java.time.Duration.ofSeconds(60),
        "my-project");
  }

  private CancelHandler handler() {
    return handler(Map.of());
  }

  private static HttpCall post(String path, String query, String contentType, String body) {
    Map<String, List<String>> headers =
        contentType == null ? Map.of() : Map.of("Content-Type", List.of(contentType));
    return new HttpCall("POST", path, query, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpCall json(String body) {
    return post("/", null, "application/json", body);
  }

  private void seedRunning() {
    api.put(InMemoryOperationsApi.running(NAME, "update", "t", Instant.EPOCH));
  }

  @Test
  void post_validName_cancelsAndAnswersTheOutcomeDocument() {
    seedRunning();
    HttpAnswer a = handler().handle(json("{\"name\":\"" + NAME + "\"}"));
    assertEquals(200, a.status());
    assertEquals("CANCELLED", a.body().get("outcome").getAsString());
    assertEquals(NAME, a.body().get("operation").getAsString());
    assertEquals(List.of("cancel " + NAME, "get " + NAME), api.calls());
  }

  @Test
  void post_withTraceHeader_usesTraceAsRequestId() {
    seedRunning();
    HttpCall call =
        new HttpCall(
            "POST",
            "/",
            null,
            Map.of(
                "content-type", List.of("application/json; charset=utf-8"),
                "X-Cloud-Trace-Context", List.of("0123456789abcdef0123456789abcdef/42;o=1")),
            ("{\"name\":\"" + NAME + "\"}").getBytes(StandardCharsets.UTF_8));
    HttpAnswer a = handler().handle(call);
    assertEquals("0123456789abcdef0123456789abcdef/42", a.body().get("requestId").getAsString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "null",
        "[]",
        "\"name\"",
        "{}",
        "{\"name\": 5}",
        "{\"name\": null}",
        "{\"name\": [\"projects/my-project/locations/l/operations/o\"]}",
        "{\"name\": {\"x\": 1}}",
        "{\"name\": \"projects/my-project/locations/l/operations/..\"}",
        "{\"name\": \"projects/my-project/locations/l/operations/%2e%2e\"}",
        "{\"name\": \"projects/my-project/locations/l/operations/a:delete\"}",
        "{\"name\": \"projects/my-project/locations/l/operations/o\", \"Wait\": \"5s\"}",
        "{\"name\": \"projects/my-project/locations/l/operations/o\", \"wait\": 5}",
        "{\"name\": \"projects/my-project/locations/l/operations/o\", \"wait\": \"-5s\"}",
        "{\"name\": \"projects/my-project/locations/l/operations/o\"} trailing",
        "{\"name\": \"projects/my-project/locations/l/operations/o\",}",
        "{'name': 'projects/my-project/locations/l/operations/o'}",
        "{\"name\": \"projects/my-project/locations/l/operations/o\", \"name\": \"x\"}",
        "{\"name\": \"a\", \"name\": \"projects/my-project/locations/l/operations/o\"}",
        "{\"name\": \"projects/my-project/locations/l/operations/o\","
            + " \"name\": \"projects/my-project/locations/l/operations/o\"}",
        "{\"name\": \"projects/my-project/locations/l/operations/o\", \"wait\": \"1s\","
            + " \"wait\": \"2s\"}",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
      })
  void post_badBody_answers400InvalidArgument_andCallsNothing(String body) {
    HttpAnswer a = handler().handle(json(body));
    assertEquals(400, a.status(), a.body().toString());
    JsonObject error = a.body().getAsJsonObject("error");
    assertEquals(400, error.get("code").getAsInt());
    assertEquals("INVALID_ARGUMENT", error.get("status").getAsString());
    assertTrue(api.calls().isEmpty());
  }

  @Test
  void post_invalidUtf8_answers400() {
    byte[] body = {'{', '"', 'n', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    HttpAnswer a =
        handler()
            .handle(
                new HttpCall(
                    "POST", "/", null, Map.of("Content-Type", List.of("application/json")), body));
    assertEquals(400, a.status());
  }

  @Test
  void post_nonJson_answers415_bigBody413_otherMethod405_otherPath404() {
    assertEquals(415, handler().handle(post("/", null, "text/plain", "{}")).status());
    assertEquals(415, handler().handle(post("/", null, null, "{}")).status());
    String big = "{\"name\":\"" + "a".repeat(70_000) + "\"}";
    assertEquals(413, handler().handle(json(big)).status());
    HttpAnswer get = handler().handle(new HttpCall("GET", "/", null, Map.of(), new byte[0]));
    assertEquals(405, get.status());
    assertEquals("POST", get.headers().get("Allow"));
    assertEquals(404, handler().handle(post("/other", null, "application/json", "{}")).status());
    assertTrue(api.calls().isEmpty());
  }

  @Test
  void otherMethods_answer405_withErrorCodeEqualToTheHttpStatus() {
    for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
      for (String path : List.of("/", "/v1/" + NAME + ":cancel")) {
        HttpAnswer a = handler().handle(new HttpCall(method, path, null, Map.of(), new byte[0]));
        assertEquals(405, a.status(), method + " " + path);
        JsonObject error = a.body().getAsJsonObject("error");
        assertEquals(405, error.get("code").getAsInt(), "error.code is the HTTP status");
        assertEquals("UNIMPLEMENTED", error.get("status").getAsString());
      }
    }
    assertTrue(api.calls().isEmpty());
  }

  @Test
  void post_outsideAllowedParents_answers403_withoutAnyCall() {
    seedRunning();
    HttpAnswer a =
        handler(Map.of("ALLOWED_PARENTS", "projects/my-project/locations/europe-west1"))
            .handle(json("{\"name\":\"" + NAME + "\"}"));
    assertEquals(403, a.status());
    assertEquals(
        "PERMISSION_DENIED", a.body().getAsJsonObject("error").get("status").getAsString());
    assertTrue(api.calls().isEmpty());
  }

  @Test
  void post_upstreamOutcomes_mapToContractStatuses() {
    assertEquals(404, handler().handle(json("{\"name\":\"" + NAME + "\"}")).status());
    seedRunning();
    api.cancelFails(NAME, Code.PERMISSION_DENIED);
    assertEquals(403, handler().handle(json("{\"name\":\"" + NAME + "\"}")).status());
    api.cancelFails(NAME, Code.UNAVAILABLE).getFails(NAME, Code.UNAVAILABLE);
    HttpAnswer unavailable = handler().handle(json("{\"name\":\"" + NAME + "\"}"));
    assertEquals(503, unavailable.status());
    JsonObject info =
        unavailable
            .body()
            .getAsJsonObject("error")
            .getAsJsonArray("details")
            .get(0)
            .getAsJsonObject();
    assertEquals("ERROR", info.get("reason").getAsString());
    api.cancelFails(NAME, Code.RESOURCE_EXHAUSTED).getFails(NAME, Code.RESOURCE_EXHAUSTED);
    assertEquals(429, handler().handle(json("{\"name\":\"" + NAME + "\"}")).status());
  }

  @Test
  void post_cancelRefusedWithAnotherCode_ofARunningOperation_isNotCancellable_not500() {
    seedRunning();
    api.cancelFails(NAME, Code.ABORTED);
    HttpAnswer a = handler().handle(json("{\"name\":\"" + NAME + "\"}"));
    assertEquals(200, a.status(), a.body().toString());
    assertEquals("NOT_CANCELLABLE", a.body().get("outcome").getAsString());
    assertEquals("ABORTED", a.body().get("cancelStatus").getAsString());
    assertEquals(List.of("cancel " + NAME, "get " + NAME), api.calls());
  }

  @Test
  void post_cancelAnsweredInvalidArgument_isStillChecked_andTheGetDecides() {
    api.put(
        InMemoryOperationsApi.completed(
            InMemoryOperationsApi.running(NAME, "update", "t", Instant.EPOCH)));
    api.cancelFails(NAME, Code.INVALID_ARGUMENT);
    HttpAnswer a = handler().handle(json("{\"name\":\"" + NAME + "\"}"));
    assertEquals(200, a.status(), a.body().toString());
    assertEquals("COMPLETED", a.body().get("outcome").getAsString());
    assertEquals("INVALID_ARGUMENT", a.body().get("cancelStatus").getAsString());
  }

  @Test
  void post_checkAnswered4xx_isAnswered4xx_neverA5xx() {
    seedRunning();
    api.getFails(NAME, Code.FAILED_PRECONDITION);
    HttpAnswer a = handler().handle(json("{\"name\":\"" + NAME + "\"}"));
    assertEquals(400, a.status(), a.body().toString());
    assertEquals(
        "FAILED_PRECONDITION", a.body().getAsJsonObject("error").get("status").getAsString());
  }

  @Test
  void post_notCancellable_answers200WithOutcome() {
    seedRunning();
    api.cancelFails(NAME, Code.UNIMPLEMENTED);
    HttpAnswer a = handler().handle(json("{\"name\":\"" + NAME + "\",\"wait\":\"0s\"}"));
    assertEquals(200, a.status());
    assertEquals("NOT_CANCELLABLE", a.body().get("outcome").getAsString());
    assertEquals("UNIMPLEMENTED", a.body().get("cancelStatus").getAsString());
  }

  @Test
  void dropIn_emptyOrEmptyObjectBody_withAltJson_answersEmptyObject_andSendsOnlyTheCancel() {
    seedRunning();
    HttpAnswer a =
        handler().handle(post("/v1/" + NAME + ":cancel", "alt=json", "application/json", "{}"));
    assertEquals(200, a.status());
    assertEquals(new JsonObject(), a.body());
    HttpAnswer b = handler().handle(post("/v1beta1/" + NAME + ":cancel", null, null, ""));
    assertEquals(200, b.status());
    assertEquals(List.of("cancel " + NAME, "cancel " + NAME), api.calls());
  }

  @Test
  void dropIn_mirrorsUpstreamErrors() {
    seedRunning();
    api.cancelFails(NAME, Code.UNIMPLEMENTED);
    HttpAnswer a = handler().handle(post("/v1/" + NAME + ":cancel", null, null, ""));
    assertEquals(501, a.status());
    assertEquals("UNIMPLEMENTED", a.body().getAsJsonObject("error").get("status").getAsString());
    api.cancelFails(NAME, Code.FAILED_PRECONDITION);
    assertEquals(400, handler().handle(post("/v1/" + NAME + ":cancel", null, null, "")).status());
    String missing = "projects/my-project/locations/us-central1/operations/missing";
    assertEquals(
        404, handler().handle(post("/v1/" + missing + ":cancel", null, null, "")).status());
    api.cancelFails(NAME, Code.ABORTED);
    assertEquals(409, handler().handle(post("/v1/" + NAME + ":cancel", null, null, "")).status());
    api.cancelFails(NAME, Code.UNAUTHENTICATED);
    assertEquals(403, handler().handle(post("/v1/" + NAME + ":cancel", null, null, "")).status());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1/projects/my-project/locations/us-central1/operations/..:cancel",
        "/v1/projects/my-project/locations/us-central1/operations/%2e%2e:cancel",
        "/v1/projects/my-project/locations/us-central1/operations/a%2Fb:cancel",
        "/v1/projects/my-project/locations/us-central1/operations/a/b:cancel",
        "/v1/projects/my-project/locations/us-central1/operations/a:b:cancel",
        "/v1//projects/my-project/locations/us-central1/operations/a:cancel",
      })
  void dropIn_hostilePath_answers400_andCallsNothing(String path) {
    HttpAnswer a = handler().handle(post(path, null, null, ""));
    assertEquals(400, a.status(), a.body().toString());
    assertTrue(api.calls().isEmpty());
  }

  @ParameterizedTest
  @MethodSource("dev.fusioncancel.testing.SystemParameterCases#accepted")
  void dropInAndJsonApi_systemParametersInEveryDocumentedForm_areAcceptedAndNotForwarded(
      String query) {
    seedRunning();
    HttpAnswer dropIn =
        handler().handle(post("/v1/" + NAME + ":cancel", query, "application/json", "{}"));
    assertEquals(200, dropIn.status(), query + ": " + dropIn.body());
    assertEquals(new JsonObject(), dropIn.body());
    assertEquals(List.of("cancel " + NAME), api.calls());
    HttpAnswer jsonApi =
        handler().handle(post("/", query, "application/json", "{\"name\":\"" + NAME + "\"}"));
    assertEquals(200, jsonApi.status(), query + ": " + jsonApi.body());
  }

  @ParameterizedTest
  @MethodSource("dev.fusioncancel.testing.SystemParameterCases#refused")
  void dropInAndJsonApi_anyOtherQuery_answers400_andCallsNothing(String query) {
    seedRunning();
    HttpAnswer dropIn =
        handler().handle(post("/v1/" + NAME + ":cancel", query, "application/json", "{}"));
    assertEquals(400, dropIn.status(), query);
    assertEquals(
        "INVALID_ARGUMENT", dropIn.body().getAsJsonObject("error").get("status").getAsString());
    HttpAnswer jsonApi =
        handler().handle(post("/", query, "application/json", "{\"name\":\"" + NAME + "\"}"));
    assertEquals(400, jsonApi.status(), query);
    assertTrue(api.calls().isEmpty(), api.calls().toString());
  }

  @Test
  void dropIn_unknownQueryOrNonEmptyBody_answers400() {
    assertEquals(
        400, handler().handle(post("/v1/" + NAME + ":cancel", "force=true", null, "")).status());
    assertEquals(
        400,
        handler()
            .handle(post("/v1/" + NAME + ":cancel", null, "application/json", "{\"a\":1}"))
            .status());
    assertEquals(
        400, handler().handle(post("/v1/" + NAME + ":cancel", "alt=proto", null, "")).status());
    assertEquals(
        400, handler().handle(post("/v1/" + NAME + ":cancel", "%zz=1", null, "")).status());
    assertTrue(api.calls().isEmpty());
  }

  @Test
  void splitUri_keepsThePathRaw() {
    String[] parts = HttpCall.splitUri("http://127.0.0.1:8080/v1/a%2Fb:cancel?alt=json#x");
    assertEquals("/v1/a%2Fb:cancel", parts[0]);
    assertEquals("alt=json", parts[1]);
    assertEquals("/", HttpCall.splitUri("http://127.0.0.1:8080")[0]);
    assertEquals(null, HttpCall.splitUri("/x")[1]);
  }
}
