package dev.fusioncancel.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.emulator.FusionEmulator;
import dev.fusioncancel.emulator.Main;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs fusion-cancel locally, no cloud account needed: the Data Fusion emulator (seeded), the
 * Pub/Sub emulator (when gcloud is installed), both functions under the real invoker, and an
 * Eventarc-style bridge; then sends one HTTP cancel and one bulk request and prints the outcome
 * events as they arrive. {@code --exit-after-demo} stops after the demo (used by a test).
 */
public final class LocalRun {
  static final int EMULATOR_PORT = 8090;
  static final int HTTP_PORT = 8080;
  static final int BULK_PORT = 8081;
  static final String REQUESTS = "fusion-cancel-requests";
  static final String OUTCOMES = "fusion-cancel-outcomes";

  private LocalRun() {}

  public static void main(String[] args) throws Exception {
    boolean exitAfterDemo = List.of(args).contains("--exit-after-demo");
    int offset = List.of(args).contains("--free-ports") ? -1 : 0;
    FusionEmulator emulator = FusionEmulator.builder().port(offset < 0 ? 0 : EMULATOR_PORT).build();
    Main.seedDemo(emulator);
    say("Data Fusion emulator: " + emulator.endpoint() + " (seeded demo-project operations)");

    PubSubEmulator pubsub = null;
    try {
      pubsub = PubSubEmulator.startOrConnect();
      pubsub.createTopic(REQUESTS);
      pubsub.createTopic(OUTCOMES);
      pubsub.createSubscription(REQUESTS + "-bridge", REQUESTS);
      pubsub.createSubscription(OUTCOMES + "-watch", OUTCOMES);
      say("Pub/Sub emulator: " + pubsub.hostPort());
    } catch (Exception | Error noPubSub) {
      pubsub = null;
      say(
          "Pub/Sub emulator unavailable ("
              + noPubSub.getMessage()
              + "): outcome events are logged");
    }

    Map<String, String> env = new HashMap<>();
    env.put("DATAFUSION_ENDPOINT", emulator.endpoint());
    env.put("MAX_WAIT", "30s");
    FunctionProcess http =
        FunctionProcess.start(
            "dev.fusioncancel.functions.CancelHttpFunction",
            offset < 0 ? Ports.free() : HTTP_PORT,
            env);
    say("CancelHttpFunction: " + http.url());
    Map<String, String> bulkEnv = new HashMap<>(env);
    if (pubsub != null) {
      bulkEnv.put("PUBSUB_EMULATOR_HOST", pubsub.hostPort());
      bulkEnv.put("OUTCOME_TOPIC", PubSubEmulator.topicName(OUTCOMES));
    }
    FunctionProcess bulk =
        FunctionProcess.start(
            "dev.fusioncancel.functions.BulkCancelFunction",
            offset < 0 ? Ports.free() : BULK_PORT,
            bulkEnv);
    say("BulkCancelFunction: " + bulk.url());
    EventarcBridge bridge =
        pubsub == null
            ? null
            : new EventarcBridge(
                pubsub, REQUESTS, REQUESTS + "-bridge", bulk.url(), EventarcBridge.Mode.BINARY);
    final PubSubEmulator ps = pubsub;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (bridge != null) {
                    bridge.close();
                  }
                  http.close();
                  bulk.close();
                  if (ps != null) {
                    ps.close();
                  }
                  emulator.close();
                }));

    HttpClient client = HttpClient.newHttpClient();
    String name = "projects/demo-project/locations/us-central1/operations/op-cancellable";
    say("\n1) HTTP: cancel " + name + " and wait up to 10s");
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(http.url() + "/"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"" + name + "\",\"wait\":\"10s\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    say("   -> " + r.statusCode() + " " + r.body());

    String request =
        "{\"parents\":[\"projects/demo-project/locations/europe-west1\"],\"wait\":\"5s\"}";
    say("\n2) Bulk: " + request);
    int expected;
    if (pubsub != null) {
      String id = pubsub.publish(REQUESTS, request, Map.of());
      say("   published to " + PubSubEmulator.topicName(REQUESTS) + " as message " + id);
      expected = 1;
    } else {
      HttpResponse<String> b =
          client.send(
              EventarcBridge.cloudEvent(
                  bulk.url(),
                  EventarcBridge.Mode.BINARY,
                  PubSubEmulator.topicName(REQUESTS),
                  REQUESTS + "-bridge",
                  "local-1",
                  request,
                  Map.of(),
                  java.time.Instant.now()),
              HttpResponse.BodyHandlers.ofString());
      say("   delivered as a CloudEvent -> " + b.statusCode());
      expected = 0;
    }
    say("\nOutcome events:");
    if (pubsub != null) {
      int summaries = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (summaries < expected && System.nanoTime() < deadline) {
        for (PubSubEmulator.Received m :
            pubsub.drain(OUTCOMES + "-watch", 1, Duration.ofSeconds(2))) {
          say("   " + m.attributes() + " " + compact(m.data()));
          if ("summary".equals(m.attributes().get("type"))) {
            summaries++;
          }
        }
      }
    } else {
      Thread.sleep(500);
      bulk.lines().stream().filter(l -> l.contains("outcome")).forEach(l -> say("   " + l));
    }
    if (exitAfterDemo) {
      System.exit(0);
    }
    say(
        "\nRunning. Try:\n  curl -s -X POST "
            + http.url()
            + "/ -H 'Content-Type: application/json' -d '{\"name\":\""
            + "projects/demo-project/locations/us-central1/operations/op-never-finishes\",\"wait\":\"5s\"}'\n"
            + "  curl -s -X POST '"
            + http.url()
            + "/v1/projects/demo-project/locations/us-central1/operations/op-already-done:cancel?alt=json'\n"
            + (pubsub == null
                ? ""
                : "  curl -s -X POST http://"
                    + pubsub.hostPort()
                    + "/v1/"
                    + PubSubEmulator.topicName(REQUESTS)
                    + ":publish -H 'Content-Type: application/json' -d "
                    + "'{\"messages\":[{\"data\":\"'$(echo -n '{\"parents\":[\"projects/demo-project/locations/us-central1\"],\"dryRun\":true}' | base64 -w0)'\"}]}'\n")
            + "Ctrl-C stops everything.");
    if (pubsub != null) {
      while (true) {
        for (PubSubEmulator.Received m :
            pubsub.drain(OUTCOMES + "-watch", 1, Duration.ofSeconds(2))) {
          say("   event " + m.attributes() + " " + compact(m.data()));
        }
      }
    }
    new CountDownLatch(1).await();
  }

  private static String compact(String json) {
    try {
      JsonObject o = JsonParser.parseString(json).getAsJsonObject();
      return o.toString();
    } catch (RuntimeException e) {
      return json;
    }
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
