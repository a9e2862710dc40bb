package dev.fusioncancel.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.client.TestTls;
import dev.fusioncancel.emulator.Behaviour;
import dev.fusioncancel.emulator.Faults.AuthMode;
import dev.fusioncancel.testing.FakeMetadataServer;
import dev.fusioncancel.testing.FunctionProcess;
import dev.fusioncancel.testing.OutcomeEvents;
import dev.fusioncancel.testing.PubSubEmulator;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, credentials under stress, with nothing faked in the function: CancelHttpFunction under
 * the real invoker gets its token from real Application Default Credentials (google-auth's
 * ComputeEngineCredentials, found through {@code GCE_METADATA_HOST}) served by a real local
 * metadata server, and sends it over real TLS to the Data Fusion emulator.
 */
class TokenChaosIT {
  static final String TARGET = "dev.fusioncancel.functions.CancelHttpFunction";
  static final String OP = "projects/demo-project/locations/us-central1/operations/";
  static final String TOKEN = "tok-123";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ChaosRig.Tls tls;

  @BeforeAll
  static void start() throws Exception {
    tls = ChaosRig.openTls();
  }

  @AfterAll
  static void stop() {
    if (tls != null) {
      tls.close();
    }
  }

  @BeforeEach
  void reset() {
    tls.emulator().reset();
  }

  /**
   * The HTTP function with ADC from {@code metadata}, over https to {@code endpoint}, trusting the
   * test certificate. The home directory is empty, so no gcloud credentials file can win over the
   * metadata server.
   */
  static FunctionProcess startWithAdc(
      FakeMetadataServer metadata, String endpoint, String... jvmArgs) throws Exception {
    return startWithAdc(TARGET, metadata, endpoint, Map.of(), jvmArgs);
  }

  /** As {@link #startWithAdc(FakeMetadataServer, String, String...)} for any target and env. */
  static FunctionProcess startWithAdc(
      String target,
      FakeMetadataServer metadata,
      String endpoint,
      Map<String, String> extraEnv,
      String... jvmArgs)
      throws Exception {
    Path home = Files.createTempDirectory("fusion-cancel-home");
    Map<String, String> env = new HashMap<>();
    env.put("DATAFUSION_ENDPOINT", endpoint);
    env.put("GCE_METADATA_HOST", metadata.hostPort());
    env.put("HOME", home.toString());
    env.put("MAX_WAIT", "10s");
    env.putAll(extraEnv);
    List<String> args = new ArrayList<>(List.of(TestTls.trustStoreJvmArgs()));
    args.add("-Duser.home=" + home);
    args.addAll(List.of(jvmArgs));
    return FunctionProcess.start(target, env, args.toArray(String[]::new));
  }

  static HttpResponse<String> cancel(FunctionProcess f, String name) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(f.url() + "/"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(90))
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject json(HttpResponse<String> r) {
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  @Test
  void metadataServer503sTwice_thenTheRunSucceeds_withTheTokenAsBearer() throws Exception {
    tls.emulator().seed(OP + "tok", Behaviour.cancellable());
    tls.emulator().faults().authMode(AuthMode.REQUIRE_BEARER);
    int seen = tls.front().authorizations().size();
    try (FakeMetadataServer metadata = new FakeMetadataServer(TOKEN, 2);
        FunctionProcess f = startWithAdc(metadata, tls.front().endpoint())) {
      HttpResponse<String> r = cancel(f, OP + "tok");

      assertEquals(200, r.statusCode(), r.body());
      assertEquals("CANCELLED", json(r).get("outcome").getAsString());
      List<String> sent =
          tls.front().authorizations().subList(seen, tls.front().authorizations().size());
      assertTrue(sent.size() >= 2, "a cancel and a GET: " + sent.size());
      assertTrue(sent.stream().allMatch(("Bearer " + TOKEN)::equals), "every call had the token");
      assertEquals(0, tls.emulator().counters().unauthenticated());
      List<FakeMetadataServer.Request> tokenRequests = metadata.tokenRequests();
      assertTrue(tokenRequests.size() >= 3, "two 503s, then the token: " + tokenRequests);
      assertEquals(1, metadata.tokensIssued(), "the token is cached once issued");
      for (FakeMetadataServer.Request t : tokenRequests) {
        assertTrue(t.flavor(), "every token request says Metadata-Flavor: Google");
        String query = URLDecoder.decode(String.valueOf(t.query()), StandardCharsets.UTF_8);
        assertTrue(
            query.contains("scopes=https://www.googleapis.com/auth/cloud-platform"),
            "the ADC scope is asked for: " + query);
      }
    }
  }

  @Test
  void persistent401_refreshesOnce_thenAnswers403_withExactlyTwoRequestsPerCall() throws Exception {
    tls.emulator().seed(OP + "revoked", Behaviour.cancellable());
    tls.emulator().faults().authMode(AuthMode.REJECT_ALL);
    try (FakeMetadataServer metadata = new FakeMetadataServer(TOKEN, 0);
        FunctionProcess f = startWithAdc(metadata, tls.front().endpoint())) {
      for (int call = 1; call <= 2; call++) {
        HttpResponse<String> r = cancel(f, OP + "revoked");

        assertEquals(403, r.statusCode(), r.body());
        JsonObject error = json(r).getAsJsonObject("error");
        assertEquals(403, error.get("code").getAsInt());
        assertEquals("PERMISSION_DENIED", error.get("status").getAsString());
        assertTrue(error.has("message"));
        assertEquals(
            2 * call, tls.emulator().journal().size(), "exactly 2 requests per call, no loop");
        assertEquals(2 * call, tls.emulator().journal().cancelCount(OP + "revoked"));
        assertEquals(
            1 + call, metadata.tokensIssued(), "the first token, then one refresh per call");
      }
      assertTrue(tls.emulator().journal().entries().stream().allMatch(e -> e.authorization()));
    }
  }

  @Test
  void persistent401_inABulkRun_givesPermissionDeniedOutcomes_withExactlyTwoRequestsEach()
      throws Exception {
    List<String> ops = List.of(OP + "b1", OP + "b2", OP + "b3");
    ops.forEach(op -> tls.emulator().seed(op, Behaviour.cancellable()));
    tls.emulator().faults().authMode(AuthMode.REJECT_ALL);
    String outcomes = "chaos-a-token-outcomes";
    PubSubEmulator pubsub = PubSubEmulator.startOrConnect();
    try (pubsub) {
      pubsub.createTopic(outcomes);
      pubsub.createSubscription(outcomes + "-sub", outcomes);
      Map<String, String> env =
          Map.of(
              "PUBSUB_EMULATOR_HOST",
              pubsub.hostPort(),
              "OUTCOME_TOPIC",
              PubSubEmulator.topicName(outcomes),
              "REQUESTS_PER_MINUTE",
              "100000");
      try (FakeMetadataServer metadata = new FakeMetadataServer(TOKEN, 0);
          FunctionProcess f =
              startWithAdc(FaultyUpstreamChaosIT.TARGET, metadata, tls.front().endpoint(), env)) {
        String request = "{\"operations\":[\"" + String.join("\",\"", ops) + "\"],\"wait\":\"1s\"}";
        HttpResponse<String> r =
            FaultyUpstreamChaosIT.deliver(f.url(), "token-bulk-1", request, Instant.now(), 1);
        assertEquals(200, r.statusCode(), r.body());
        OutcomeEvents c =
            OutcomeEvents.collect(
                pubsub, outcomes + "-sub", "token-bulk-1", ops.size(), Duration.ofSeconds(60));

        assertEquals(new java.util.TreeSet<>(ops), c.byOperation().keySet());
        c.byOperation()
            .values()
            .forEach(
                e ->
                    assertEquals(
                        "PERMISSION_DENIED", e.get("outcome").getAsString(), e.toString()));
        assertEquals(
            ops.size(), c.summary().getAsJsonObject("counts").get("PERMISSION_DENIED").getAsInt());
        for (String op : ops) {
          assertEquals(2, tls.emulator().journal().cancelCount(op), op + ": one refresh, no loop");
        }
        assertEquals(2L * ops.size(), tls.emulator().journal().size(), "nothing else was sent");
      }
    }
  }
}
