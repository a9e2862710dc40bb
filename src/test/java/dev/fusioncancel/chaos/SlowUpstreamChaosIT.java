package dev.fusioncancel.chaos;

import static dev.fusioncancel.chaos.ChaosRig.BULK;
import static dev.fusioncancel.chaos.ChaosRig.HTTP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.client.RetrySettings;
import dev.fusioncancel.testing.EventarcBridge;
import dev.fusioncancel.testing.FunctionProcess;
import dev.fusioncancel.testing.OutcomeEvents;
import dev.fusioncancel.testing.PubSubEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chaos: every Data Fusion call takes 5 s. The HTTP function still answers a real outcome within
 * its bound; the bulk function with a short deadline stops starting work in time and hands the rest
 * to a follow-up message.
 */
class SlowUpstreamChaosIT {
  private static final String REQUESTS = "slow-requests";
  private static final String OUTCOMES = "slow-outcomes";
  private static final Duration LATENCY = Duration.ofSeconds(5);
  private static final Duration DEADLINE = Duration.ofSeconds(15);
  private static ChaosRig.Stack stack;

  @BeforeAll
  static void start() throws Exception {
    stack =
        ChaosRig.open(
            REQUESTS, OUTCOMES, PubSubEmulator.startOrConnect(), ChaosRig.fusion().threads(64));
    stack.pubsub().createSubscription(REQUESTS + "-followups", REQUESTS);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @BeforeEach
  void slow() {
    stack.emulator().reset();
    stack.emulator().faults().latency(LATENCY);
  }

  @AfterEach
  void fast() {
    stack.emulator().faults().clear();
  }

  /**
   * The HTTP function's bound: the cancel call and the last GET each end within the client's total
   * timeout, and the checks in between stop when the wait (at most MAX_WAIT) ends.
   */
  static Duration httpBound(Duration wait) {
    return RetrySettings.DEFAULT.totalTimeout().multipliedBy(2).plus(wait);
  }

  @Test
  void http_everyCallTakes5s_answersARealOutcomeWithinItsBound() throws Exception {
    String op = ChaosRig.seed(stack.emulator(), 1).get(0);
    try (FunctionProcess f =
        FunctionProcess.start(HTTP, ChaosRig.env(stack.emulator(), null, null))) {
      HttpClient client = HttpClient.newHttpClient();
      long t0 = System.nanoTime();
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create(f.url() + "/"))
                  .timeout(httpBound(Duration.ZERO).plusSeconds(30))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + op + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      System.out.printf(
          "SlowUpstreamChaosIT: HTTP answered %d in %d ms (bound %s): %s%n",
          r.statusCode(), took.toMillis(), httpBound(Duration.ZERO), r.body());
      assertEquals(200, r.statusCode(), r.body());
      JsonObject outcome = JsonParser.parseString(r.body()).getAsJsonObject();
      assertEquals("CANCELLED", outcome.get("outcome").getAsString(), r.body());
      assertTrue(took.compareTo(LATENCY.multipliedBy(2)) >= 0, "a cancel and a GET, 5 s each");
      assertTrue(took.compareTo(httpBound(Duration.ZERO)) < 0, "within the bound: " + took);
      assertEquals(1, stack.emulator().journal().cancelCount(op));
    }
  }

  @Test
  void bulk_everyCallTakes5s_stopsStartingWorkInTime_andContinuesInAFollowUp() throws Exception {
    List<String> ops = ChaosRig.seed(stack.emulator(), 40);
    String id = "slow-" + UUID.randomUUID();
    try (FunctionProcess f =
        FunctionProcess.start(
            BULK,
            ChaosRig.limited(ChaosRig.env(stack.emulator(), stack.pubsub(), OUTCOMES)),
            "-Dfusioncancel.bulk.deadline=" + DEADLINE.toSeconds() + "s")) {
      long t0 = System.nanoTime();
      HttpResponse<String> r =
          EventarcBridge.deliverDirect(
              f.url(), REQUESTS, id, ChaosRig.request(ops, "1s"), Instant.now());
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertEquals(200, r.statusCode(), r.body());
      OutcomeEvents events =
          OutcomeEvents.collectFirstPart(stack.pubsub(), stack.watch(), id, Duration.ofSeconds(30));
      JsonObject summary = events.summaries().get(0);
      List<PubSubEmulator.Received> followUps =
          stack.pubsub().drain(REQUESTS + "-followups", 1, Duration.ofSeconds(10));
      System.out.printf(
          "SlowUpstreamChaosIT: bulk part 1 took %d ms (deadline %s), %d outcomes, summary %s%n",
          took.toMillis(), DEADLINE, events.byOperation().size(), summary);
      assertTrue(took.compareTo(DEADLINE) < 0, "answered within the deadline: " + took);
      assertEquals(1, followUps.size(), "one follow-up on the trigger topic");
      JsonObject next = JsonParser.parseString(followUps.get(0).data()).getAsJsonObject();
      assertEquals(id, next.getAsJsonObject("continuation").get("requestId").getAsString());
      Set<String> rest = new HashSet<>();
      JsonArray names =
          next.has("operations") ? next.getAsJsonArray("operations") : new JsonArray();
      names.forEach(n -> rest.add(n.getAsString()));
      JsonObject checks = next.getAsJsonObject("continuation").getAsJsonObject("check");
      int toCheck = checks == null ? 0 : checks.size();
      if (checks != null) {
        // Accepted cancels the hard stop left unchecked go on as checks, never as ERROR.
        rest.addAll(checks.keySet());
      }
      assertTrue(!rest.isEmpty(), "work was carried on");
      assertTrue(
          events.byOperation().values().stream()
              .noneMatch(e -> e.get("outcome").getAsString().equals("ERROR")),
          "no ERROR for want of time");
      Set<String> all = new HashSet<>(events.byOperation().keySet());
      all.addAll(rest);
      assertEquals(new HashSet<>(ops), all, "every operation is either done or carried on");
      assertEquals(ops.size(), events.byOperation().size() + rest.size(), "none in both");
      System.out.printf(
          "SlowUpstreamChaosIT: %d carried on, %d of them to check%n", rest.size(), toCheck);
      for (String op : rest) {
        assertTrue(
            stack.emulator().journal().cancelCount(op) <= 1,
            "carried on: not sent, or sent once and abandoned unanswered at the cutoff: " + op);
      }
      assertEquals(
          events.byOperation().size(),
          summary.get("total").getAsInt(),
          "the summary counts this part");
      OutcomeEvents.assertCountsAddUp(summary);
    }
  }
}
