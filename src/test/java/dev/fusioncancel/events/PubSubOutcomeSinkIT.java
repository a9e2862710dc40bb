package dev.fusioncancel.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.bulk.BulkSummary;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.outcome.OutcomeEvent;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Publishes outcome events to the real Pub/Sub emulator and pulls them back over REST. */
class PubSubOutcomeSinkIT {
  private static final String PROJECT = "test-proj";
  private static final String TOPIC = "projects/" + PROJECT + "/topics/outcomes";
  private static final String SUBSCRIPTION = "projects/" + PROJECT + "/subscriptions/outcomes-sub";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Process emulator;
  private static String host;

  @BeforeAll
  static void startEmulator() throws Exception {
    if (!onPath("gcloud") || !onPath("setsid")) {
      if ("true".equals(System.getenv("CI"))) {
        fail("gcloud (with the Pub/Sub emulator) and setsid are required when CI=true");
      }
      Assumptions.assumeTrue(false, "gcloud or setsid not found; skipping");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    host = "127.0.0.1:" + port;
    File log = File.createTempFile("pubsub-emulator", ".log");
    emulator =
        new ProcessBuilder(
                "setsid",
                "gcloud",
                "beta",
                "emulators",
                "pubsub",
                "start",
                "--host-port=" + host,
                "--project=" + PROJECT)
            .redirectErrorStream(true)
            .redirectOutput(log)
            .start();
    Instant until = Instant.now().plusSeconds(60);
    while (true) {
      try {
        if (send("GET", "/", null).statusCode() == 200) {
          break;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (!emulator.isAlive() || Instant.now().isAfter(until)) {
        fail("the Pub/Sub emulator did not start; see " + log);
      }
      Thread.sleep(200);
    }
    assertEquals(200, send("PUT", "/v1/" + TOPIC, "{}").statusCode());
    assertEquals(
        200, send("PUT", "/v1/" + SUBSCRIPTION, "{\"topic\":\"" + TOPIC + "\"}").statusCode());
  }

  @AfterAll
  static void stopEmulator() throws Exception {
    if (emulator == null) {
      return;
    }
    long pgid = emulator.pid(); // setsid made the process the leader of its own group
    new ProcessBuilder("kill", "-TERM", "--", "-" + pgid).inheritIO().start().waitFor();
    if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
      new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).inheritIO().start().waitFor();
    }
  }

  @Test
  void publish_outcomeEventsAndSummary_arriveWithDataAndAttributes() throws Exception {
    try (PubSubPublishers publishers = new PubSubPublishers(Optional.of(host))) {
      OutcomeSink sink = publishers.forTopic(TOPIC);
      assertSame(sink, publishers.forTopic(TOPIC), "one sink and publisher per topic");
      Instant t = Instant.parse("2026-11-26T12:00:00Z");
      PublishTracker tracker = new PublishTracker();
      Map<String, OutcomeEvent> sent = new HashMap<>();
      List<CancelResult> results = new ArrayList<>();
      for (int i = 0; i < 250; i++) {
        CancelResult r =
            CancelResult.withoutCall(
                "projects/proj-a/locations/us-central1/operations/op" + i,
                i % 2 == 0 ? Outcome.DRY_RUN : Outcome.NOT_ALLOWED,
                "detail " + i,
                t);
        results.add(r);
        OutcomeEvent e = OutcomeEvent.of("req-42", r, true);
        sent.put(e.eventId(), e);
        tracker.publish(sink, e.toJson().toString(), e.attributes());
      }
      BulkSummary summary =
          new BulkSummary(
              "req-42",
              1,
              true,
              BulkSummary.count(results),
              t,
              t,
              Optional.of(0),
              Optional.empty(),
              Map.of(),
              Optional.empty());
      tracker.publish(sink, summary.toJson().toString(), summary.attributes());
      tracker.awaitAll(Duration.ofSeconds(30));

      List<JsonObject> received = pull(251);
      int summaries = 0;
      for (JsonObject m : received) {
        Map<String, String> attributes = new HashMap<>();
        m.getAsJsonObject("attributes")
            .entrySet()
            .forEach(e -> attributes.put(e.getKey(), e.getValue().getAsString()));
        JsonObject data =
            JsonParser.parseString(
                    new String(
                        Base64.getDecoder().decode(m.get("data").getAsString()),
                        StandardCharsets.UTF_8))
                .getAsJsonObject();
        if ("summary".equals(attributes.get("type"))) {
          summaries++;
          assertEquals(summary.attributes(), attributes);
          assertEquals(250, data.get("total").getAsInt());
          assertEquals(125, data.getAsJsonObject("counts").get("DRY_RUN").getAsInt());
        } else {
          OutcomeEvent expected = sent.get(attributes.get("eventId"));
          assertEquals(expected.attributes(), attributes);
          assertEquals(expected.toJson(), data);
        }
      }
      assertEquals(1, summaries);
    }
  }

  private static List<JsonObject> pull(int expected) throws Exception {
    List<JsonObject> messages = new ArrayList<>();
    Instant until = Instant.now().plusSeconds(30);
    while (messages.size() < expected && Instant.now().isBefore(until)) {
      HttpResponse<String> r =
          send("POST", "/v1/" + SUBSCRIPTION + ":pull", "{\"maxMessages\":100}");
      assertEquals(200, r.statusCode(), r.body());
      JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
      if (!body.has("receivedMessages")) {
        continue;
      }
      List<String> ackIds = new ArrayList<>();
      for (JsonElement e : body.getAsJsonArray("receivedMessages")) {
        messages.add(e.getAsJsonObject().getAsJsonObject("message"));
        ackIds.add(e.getAsJsonObject().get("ackId").getAsString());
      }
      JsonObject ack = new JsonObject();
      com.google.gson.JsonArray ids = new com.google.gson.JsonArray();
      ackIds.forEach(ids::add);
      ack.add("ackIds", ids);
      send("POST", "/v1/" + SUBSCRIPTION + ":acknowledge", ack.toString());
    }
    assertTrue(messages.size() >= expected, "pulled " + messages.size() + " of " + expected);
    assertEquals(expected, messages.size());
    return messages;
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://" + host + path)).timeout(Duration.ofSeconds(10));
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (new File(dir, program).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
