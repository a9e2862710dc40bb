package dev.fusioncancel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.config.EnvVars;
import dev.fusioncancel.emulator.Behaviour;
import dev.fusioncancel.emulator.FusionEmulator;
import dev.fusioncancel.emulator.Journal;
import dev.fusioncancel.testing.EventarcBridge;
import dev.fusioncancel.testing.FunctionProcess;
import dev.fusioncancel.testing.Ports;
import dev.fusioncancel.testing.Tools;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * README's and the contract's command, exactly as written: {@code mvn function:run
 * -Drun.functionTarget=<class> -Drun.port=<port>} serves the function it names, for each entry
 * point. Both builds start at once (Maven's start-up is the slow part) against one emulator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FunctionRunCommandIT {
  private static final String PARENT = "projects/demo-project/locations/us-central1";
  private static final String HTTP_OP = PARENT + "/operations/op-http";
  private static final String DROP_IN_OP = PARENT + "/operations/op-drop-in";
  private static final String BULK_OP = PARENT + "/operations/op-bulk";
  private static final String TOPIC = "projects/demo-project/topics/fusion-cancel-requests";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private FusionEmulator emulator;
  private FunctionProcess http;
  private FunctionProcess bulk;

  @BeforeAll
  void start() throws IOException {
    String mvn = Tools.require("mvn", "mvn function:run");
    emulator = FusionEmulator.builder().port(0).quotaPerMinute(0).build();
    for (String op : List.of(HTTP_OP, DROP_IN_OP, BULK_OP)) {
      emulator.seed(op, Behaviour.cancellable());
    }
    http = mvnFunctionRun(mvn, "dev.fusioncancel.functions.CancelHttpFunction", emulator);
    bulk = mvnFunctionRun(mvn, "dev.fusioncancel.functions.BulkCancelFunction", emulator);
    http.awaitListening(Duration.ofMinutes(4));
    bulk.awaitListening(Duration.ofMinutes(4));
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {http, bulk, emulator}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  @Test
  void httpTarget_servesCancelHttpFunction_badNameIs400_realCancelIsTheOutcome() throws Exception {
    HttpResponse<String> bad = postJson(http.url() + "/", "{\"name\":\"projects/x\"}");
    assertEquals(400, bad.statusCode(), bad.body());
    JsonObject error =
        JsonParser.parseString(bad.body()).getAsJsonObject().getAsJsonObject("error");
    assertEquals("INVALID_ARGUMENT", error.get("status").getAsString());
    assertEquals(400, error.get("code").getAsInt());

    HttpResponse<String> ok =
        postJson(http.url() + "/", "{\"name\":\"" + HTTP_OP + "\",\"wait\":\"5s\"}");
    assertEquals(200, ok.statusCode(), ok.body());
    JsonObject outcome = JsonParser.parseString(ok.body()).getAsJsonObject();
    assertEquals(HTTP_OP, outcome.get("operation").getAsString());
    assertEquals("CANCELLED", outcome.get("outcome").getAsString());
    assertEquals(1, emulator.journal().cancelCount(HTTP_OP));
  }

  @Test
  void httpTarget_dropInWithGapicSystemParameters_isAccepted_andTheyAreNotForwarded()
      throws Exception {
    HttpResponse<String> r =
        postJson(
            http.url() + "/v1/" + DROP_IN_OP + ":cancel?$alt=json;enum-encoding=int&%24.xgafv=2",
            "{}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("{}", r.body());
    List<Journal.Entry> cancels =
        emulator.journal().entries().stream()
            .filter(e -> e.path().equals("/v1/" + DROP_IN_OP + ":cancel"))
            .toList();
    assertEquals(1, cancels.size(), cancels.toString());
    assertNull(cancels.get(0).query(), "no system parameter is forwarded upstream");
  }

  @Test
  void httpTarget_refusesACloudEvent_asOnlyTheBulkFunctionTakesThem() throws Exception {
    HttpResponse<String> r = deliver(http.url(), "ce-to-http", "{\"operations\":[]}");
    assertEquals(400, r.statusCode(), "the HTTP function reads a CloudEvent as a bad body");
  }

  @Test
  void bulkTarget_servesBulkCancelFunction_aBinaryCloudEventCancelsAndReportsTheOutcome()
      throws Exception {
    HttpResponse<String> r =
        deliver(bulk.url(), "bulk-1", "{\"operations\":[\"" + BULK_OP + "\"],\"wait\":\"5s\"}");
    assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
    assertEquals(1, emulator.journal().cancelCount(BULK_OP));
    String event =
        bulk.awaitLine(
            l -> l.contains("\\\"operation\\\":\\\"" + BULK_OP) && l.contains("outcome"), WAIT);
    assertTrue(event.contains("CANCELLED"), event);
    bulk.awaitLine(l -> l.contains("\"type\":\"summary\"") && l.contains("bulk-1"), WAIT);
  }

  @Test
  void bulkTarget_invalidMessage_binaryOrStructured_isAcknowledgedWithAnErrorSummary()
      throws Exception {
    for (EventarcBridge.Mode mode : EventarcBridge.Mode.values()) {
      String id = "bulk-bad-" + mode;
      HttpResponse<String> r = deliver(bulk.url(), id, "{\"olderthan\":\"6h\"}", mode);
      assertTrue(r.statusCode() / 100 == 2, mode + ": " + r.statusCode() + " " + r.body());
      String summary = bulk.awaitLine(l -> l.contains(id) && l.contains("\\\"error\\\""), WAIT);
      assertTrue(summary.contains("olderthan"), summary);
    }
  }

  private static HttpResponse<String> postJson(String url, String body) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> deliver(String url, String messageId, String data)
      throws Exception {
    return deliver(url, messageId, data, EventarcBridge.Mode.BINARY);
  }

  private static HttpResponse<String> deliver(
      String url, String messageId, String data, EventarcBridge.Mode mode) throws Exception {
    return CLIENT.send(
        EventarcBridge.cloudEvent(
            url + "/", mode, TOPIC, "eventarc-sub", messageId, data, Map.of(), Instant.now()),
        HttpResponse.BodyHandlers.ofString());
  }

  /** README's command, word for word, with the emulator as the endpoint. */
  private static FunctionProcess mvnFunctionRun(String mvn, String target, FusionEmulator emulator)
      throws IOException {
    int port = Ports.free();
    ProcessBuilder pb =
        new ProcessBuilder(
            mvn, "function:run", "-Drun.functionTarget=" + target, "-Drun.port=" + port);
    Map<String, String> env = pb.environment();
    EnvVars.ALL.forEach(env::remove);
    env.put(EnvVars.DATAFUSION_ENDPOINT, emulator.endpoint());
    return FunctionProcess.launch(pb, port);
  }
}
