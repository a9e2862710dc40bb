package dev.fusioncancel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.emulator.Behaviour;
import dev.fusioncancel.emulator.FusionEmulator;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.testing.FunctionProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** CancelHttpFunction under the real invoker, against the project's Data Fusion emulator. */
class CancelHttpFunctionIT {
  private static final String PARENT = "projects/demo-project/locations/us-central1";
  private static final String TARGET = "dev.fusioncancel.functions.CancelHttpFunction";
  private static FusionEmulator emulator;
  private static FunctionProcess function;
  private static FunctionProcess restricted;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    emulator = FusionEmulator.builder().port(0).quotaPerMinute(0).build();
    function =
        FunctionProcess.start(
            TARGET, Map.of("DATAFUSION_ENDPOINT", emulator.endpoint(), "MAX_WAIT", "10s"));
    restricted =
        FunctionProcess.start(
            TARGET,
            Map.of(
                "DATAFUSION_ENDPOINT",
                emulator.endpoint(),
                "ALLOWED_PARENTS",
                "projects/demo-project/locations/europe-west1"));
  }

  @AfterAll
  static void stop() {
    if (function != null) {
      function.close();
    }
    if (restricted != null) {
      restricted.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  @BeforeEach
  void reset() {
    emulator.reset();
  }

  private static String op(String id) {
    return PARENT + "/operations/" + id;
  }

  static HttpResponse<String> post(String base, String path, String contentType, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> cancel(String name, String wait)
      throws IOException, InterruptedException {
    JsonObject body = new JsonObject();
    body.addProperty("name", name);
    if (wait != null) {
      body.addProperty("wait", wait);
    }
    return post(function.url(), "/", "application/json", body.toString());
  }

  static JsonObject json(HttpResponse<String> r) {
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  static Stream<Arguments> outcomes() {
    return Stream.of(
        Arguments.of(Behaviour.cancellable(), 200, "CANCELLED"),
        Arguments.of(Behaviour.alreadyDone(), 200, "COMPLETED"),
        Arguments.of(Behaviour.alreadyFailed(Code.INTERNAL, "boom"), 200, "FAILED"),
        Arguments.of(Behaviour.neverFinishes(), 200, "CANCELLING"),
        Arguments.of(Behaviour.completesDespiteCancel(Duration.ofHours(1)), 200, "CANCELLING"),
        Arguments.of(Behaviour.cancelUnimplemented(), 200, "NOT_CANCELLABLE"),
        Arguments.of(Behaviour.cancelFailedPrecondition(), 200, "NOT_CANCELLABLE"),
        Arguments.of(Behaviour.permissionDenied(), 403, "PERMISSION_DENIED"));
  }

  @ParameterizedTest
  @MethodSource("outcomes")
  void post_eachScriptedBehaviour_answersItsOutcome(Behaviour behaviour, int status, String outcome)
      throws Exception {
    emulator.seed(op("op-1"), behaviour);
    HttpResponse<String> r = cancel(op("op-1"), null);
    assertEquals(status, r.statusCode(), r.body());
    JsonObject body = json(r);
    if (status == 200) {
      assertEquals(outcome, body.get("outcome").getAsString());
      assertEquals(op("op-1"), body.get("operation").getAsString());
      assertTrue(body.has("eventId") && body.has("requestId") && body.has("checkedAt"));
    } else {
      JsonObject error = body.getAsJsonObject("error");
      assertEquals(status, error.get("code").getAsInt());
      assertEquals(
          outcome,
          error.getAsJsonArray("details").get(0).getAsJsonObject().get("reason").getAsString());
    }
    assertEquals(1, emulator.journal().cancelCount(op("op-1")));
  }

  @Test
  void post_unknownOperation_answers404NotFound() throws Exception {
    HttpResponse<String> r = cancel(op("missing"), null);
    assertEquals(404, r.statusCode());
    assertEquals("NOT_FOUND", json(r).getAsJsonObject("error").get("status").getAsString());
  }

  @Test
  void post_withWait_pollsUntilTheCancelTakesEffect() throws Exception {
    emulator.seed(op("slow"), Behaviour.cancellable(Duration.ofSeconds(2)));
    HttpResponse<String> r = cancel(op("slow"), "8s");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("CANCELLED", json(r).get("outcome").getAsString());
    assertTrue(emulator.journal().getCount(op("slow")) >= 2);
  }

  @Test
  void post_waitIsCappedByMaxWait() throws Exception {
    emulator.seed(op("never"), Behaviour.neverFinishes());
    long start = System.nanoTime();
    HttpResponse<String> r = cancel(op("never"), "1h");
    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
    assertEquals("CANCELLING", json(r).get("outcome").getAsString());
    assertTrue(seconds >= 9 && seconds < 20, "took " + seconds + " s; MAX_WAIT is 10s");
  }

  @Test
  void post_transient503s_areRetried_andTheJournalShowsEachAttempt() throws Exception {
    emulator.seed(op("flaky"), Behaviour.cancellable());
    emulator.faults().forOperation(op("flaky")).unavailableNext(2);
    HttpResponse<String> r = cancel(op("flaky"), null);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("CANCELLED", json(r).get("outcome").getAsString());
    assertEquals(3, emulator.journal().cancelCount(op("flaky")));
  }

  @Test
  void post_429WithRetryAfter_isHonouredThenSucceeds() throws Exception {
    emulator.seed(op("busy"), Behaviour.cancellable());
    emulator.faults().forOperation(op("busy")).throttleNext(1, Duration.ofSeconds(1));
    long start = System.nanoTime();
    HttpResponse<String> r = cancel(op("busy"), null);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(2, emulator.journal().cancelCount(op("busy")));
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 900);
  }

  @Test
  void post_unavailableBeyondRetries_answers503_afterBoundedAttempts() throws Exception {
    emulator.seed(op("down"), Behaviour.cancellable());
    emulator.faults().forOperation(op("down")).unavailableNext(100);
    HttpResponse<String> r = cancel(op("down"), null);
    assertEquals(503, r.statusCode(), r.body());
    assertEquals("UNAVAILABLE", json(r).getAsJsonObject("error").get("status").getAsString());
    long cancels = emulator.journal().cancelCount(op("down"));
    assertTrue(cancels >= 2 && cancels <= 6, "cancel attempts: " + cancels);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PERMISSION_DENIED", "NOT_FOUND", "UNIMPLEMENTED", "INVALID_ARGUMENT"})
  void post_nonRetryableAnswers_areSentExactlyOnce(String code) throws Exception {
    emulator.seed(op("once"), Behaviour.neverFinishes());
    emulator.faults().forOperation(op("once")).failNext(1, Code.valueOf(code));
    cancel(op("once"), null);
    assertEquals(1, emulator.journal().cancelCount(op("once")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "projects/demo-project/locations/us-central1/operations/..",
        "projects/demo-project/locations/us-central1/operations/%2e%2e",
        "projects/demo-project/locations/us-central1/operations/a%2Fb",
        "projects/demo-project/locations/us-central1/operations/a?alt=json",
        "projects/demo-project/locations/us-central1/operations/a#x",
        "projects/demo-project/locations/us-central1/operations/a:delete",
        "projects/demo-project/locations/us-central1/operations/a\\b",
        "projects/demo-project/locations/us-central1/operations/a\r\nX: y",
        "projects/demo-project/locations/us-central1/operations/a\u0000",
        "projects/demo-project/locations/us-central1/operations/\u0430",
        "projects/demo-project/locations/us-central1/operations/a/b",
        "https://evil.example.com/v1/projects/demo-project/locations/l/operations/a",
        "",
      })
  void post_hostileNames_answer400_andNothingReachesTheEmulator(String name) throws Exception {
    HttpResponse<String> r = cancel(name, null);
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("INVALID_ARGUMENT", json(r).getAsJsonObject("error").get("status").getAsString());
    assertEquals(0, emulator.journal().size());
  }

  @Test
  void post_tenKilobyteNameAndNonStringNames_answer400() throws Exception {
    String huge = "{\"name\":\"" + op("a".repeat(10_240)) + "\"}";
    assertEquals(400, post(function.url(), "/", "application/json", huge).statusCode());
    for (String body :
        new String[] {
          "{\"name\":5}", "{\"name\":true}", "{\"name\":null}", "{\"name\":[]}", "{\"name\":{}}"
        }) {
      HttpResponse<String> r = post(function.url(), "/", "application/json", body);
      assertEquals(400, r.statusCode(), body);
    }
    assertEquals(0, emulator.journal().size());
  }

  @Test
  void post_protocolErrors_answerTheirStatusWithRpcBodies() throws Exception {
    assertEquals(415, post(function.url(), "/", "text/plain", "{}").statusCode());
    String big = "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}";
    HttpResponse<String> tooBig = post(function.url(), "/", "application/json", big);
    assertEquals(413, tooBig.statusCode());
    assertTrue(json(tooBig).has("error"));
    HttpResponse<String> get =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(function.url() + "/")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
    assertTrue(json(get).has("error"));
    assertEquals(0, emulator.journal().size());
  }

  @Test
  void dropIn_cancelPath_answersEmptyObject_andSendsExactlyOneCancel() throws Exception {
    emulator.seed(op("drop"), Behaviour.cancellable());
    HttpResponse<String> r =
        post(function.url(), "/v1/" + op("drop") + ":cancel?alt=json", "application/json", "{}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(new JsonObject(), json(r));
    assertEquals(1, emulator.journal().cancelCount(op("drop")));
    assertEquals(1, emulator.journal().size());
    assertEquals(null, emulator.journal().entries().get(0).query());
  }

  @Test
  void dropIn_unimplemented_answers501() throws Exception {
    emulator.seed(op("legacy"), Behaviour.cancelUnimplemented());
    HttpResponse<String> r = post(function.url(), "/v1beta1/" + op("legacy") + ":cancel", null, "");
    assertEquals(501, r.statusCode(), r.body());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1/projects/demo-project/locations/us-central1/operations/%2e%2e:cancel",
        "/v1/projects/demo-project/locations/us-central1/operations/a%2Fb:cancel",
        "/v1/projects/demo-project/locations/us-central1/operations/..:cancel",
        "/v1/projects/demo-project/locations/us-central1/operations/x/../y:cancel",
        "/v1/projects/demo-project/locations/us-central1/operations/a%3Adelete:cancel",
      })
  void dropIn_hostileRawPaths_areRefused_andNothingReachesTheEmulator(String path)
      throws Exception {
    String answer = rawPost(function.port(), path);
    int status = Integer.parseInt(answer.substring(9, 12));
    assertTrue(status >= 400 && status < 500, answer);
    assertEquals(0, emulator.journal().size());
  }

  @Test
  void allowedParents_refusesOtherLocations_beforeAnyCall() throws Exception {
    emulator.seed(op("guarded"), Behaviour.cancellable());
    HttpResponse<String> r =
        post(restricted.url(), "/", "application/json", "{\"name\":\"" + op("guarded") + "\"}");
    assertEquals(403, r.statusCode(), r.body());
    assertEquals("PERMISSION_DENIED", json(r).getAsJsonObject("error").get("status").getAsString());
    assertEquals(0, emulator.journal().size());
  }

  @Test
  void eachRequest_logsOneStructuredLine_withOperationAndOutcome() throws Exception {
    emulator.seed(op("logged"), Behaviour.cancellable());
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(function.url() + "/"))
            .header("Content-Type", "application/json")
            .header("X-Cloud-Trace-Context", "4bf92f3577b34da6a3ce929d0e0e4736/1;o=1")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + op("logged") + "\"}"))
            .build();
    HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    String line =
        function.awaitLine(
            l -> l.contains("4bf92f3577b34da6a3ce929d0e0e4736") && l.contains("\"outcome\""),
            Duration.ofSeconds(5));
    JsonObject entry = JsonParser.parseString(line).getAsJsonObject();
    assertEquals("INFO", entry.get("severity").getAsString());
    JsonObject labels = entry.getAsJsonObject("logging.googleapis.com/labels");
    assertEquals(op("logged"), labels.get("operation").getAsString());
    assertEquals("CANCELLED", labels.get("outcome").getAsString());
    assertFalse(line.toLowerCase().contains("bearer"));
  }

  /** Sends bytes exactly as given (HttpClient would refuse some of these paths). */
  static String rawPost(int port, String path) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
