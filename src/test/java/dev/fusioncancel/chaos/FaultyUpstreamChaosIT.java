package dev.fusioncancel.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.fusioncancel.client.RetrySettings;
import dev.fusioncancel.emulator.Behaviour;
import dev.fusioncancel.emulator.Journal;
import dev.fusioncancel.emulator.SeededOperation;
import dev.fusioncancel.testing.EventarcBridge;
import dev.fusioncancel.testing.FunctionProcess;
import dev.fusioncancel.testing.OutcomeEvents;
import dev.fusioncancel.testing.PubSubEmulator;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, faulty upstream: a bulk run over 2,000 operations in two locations while a fifth of all
 * Data Fusion calls answer 503 and one in twenty has its connection reset. Every operation still
 * gets exactly one outcome, and an ERROR only where the journal proves its retries ran out.
 */
class FaultyUpstreamChaosIT {
  static final String TARGET = "dev.fusioncancel.functions.BulkCancelFunction";
  static final String US = "projects/chaos-project/locations/us-central1";
  static final String EU = "projects/chaos-project/locations/europe-west1";
  static final String REQUESTS = "chaos-a-requests";
  static final String OUTCOMES = "chaos-a-outcomes";
  static final long SEED = 20_261_126L;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ChaosRig.Stack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = ChaosRig.open(REQUESTS, OUTCOMES);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  /**
   * Delivers one message as Eventarc does; a non-2xx answer is redelivered (same messageId, same
   * original publishTime, as Pub/Sub does) up to {@code attempts} times. Returns the last answer.
   */
  static HttpResponse<String> deliver(
      String url, String messageId, String data, Instant published, int attempts) throws Exception {
    HttpResponse<String> r = null;
    for (int i = 0; i < attempts; i++) {
      r =
          HTTP.send(
              EventarcBridge.cloudEvent(
                  url,
                  i % 2 == 0 ? EventarcBridge.Mode.BINARY : EventarcBridge.Mode.STRUCTURED,
                  PubSubEmulator.topicName(REQUESTS),
                  "direct",
                  messageId,
                  data,
                  Map.of(),
                  published),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 == 2) {
        return r;
      }
    }
    return r;
  }

  @Test
  void twoThousandOperations_under20Percent503sAnd5PercentResets_eachGetExactlyOneOutcome()
      throws Exception {
    Set<String> seeded = new TreeSet<>();
    for (String parent : List.of(US, EU)) {
      for (SeededOperation s : stack.emulator().seedMany(parent, 1000, Behaviour.cancellable())) {
        seeded.add(s.name());
      }
    }
    stack.emulator().faults().chaos(0.20, 0.05, SEED);
    String id = "chaos-upstream-1";
    String request =
        "{\"parents\":[\"" + US + "\",\"" + EU + "\"],\"limit\":5000,\"wait\":\"20s\"}";
    long start = System.nanoTime();
    try (FunctionProcess f =
        FunctionProcess.start(TARGET, ChaosRig.env(stack.emulator(), stack.pubsub(), OUTCOMES))) {
      HttpResponse<String> r = deliver(f.url(), id, request, Instant.now(), 3);
      assertEquals(200, r.statusCode(), r.body());
      OutcomeEvents c =
          OutcomeEvents.collect(
              stack.pubsub(), stack.watch(), id, seeded.size(), Duration.ofSeconds(120));
      stack.emulator().faults().clear();
      System.out.printf(
          "FaultyUpstreamChaosIT: %d operations, %d events, %s, %d ms%n",
          c.byOperation().size(),
          c.raw().size(),
          stack.emulator().counters(),
          Duration.ofNanos(System.nanoTime() - start).toMillis());

      assertEquals(seeded, c.byOperation().keySet(), "none lost, none invented");
      c.eventIdsByOperation()
          .forEach((op, ids) -> assertEquals(1, ids.size(), op + " has several eventIds " + ids));
      assertTrue(
          stack.emulator().counters().injectedFaults() > 500,
          stack.emulator().counters().toString());
      assertTrue(
          stack.emulator().counters().connectionResets() > 100,
          stack.emulator().counters().toString());

      Map<String, Long> tally =
          c.byOperation().values().stream()
              .collect(
                  Collectors.groupingBy(
                      e -> e.get("outcome").getAsString(), TreeMap::new, Collectors.counting()));
      assertTrue(Set.of("CANCELLED", "ERROR").containsAll(tally.keySet()), "outcomes: " + tally);
      List<Journal.Entry> journal = stack.emulator().journal().entries();
      int maxAttempts = RetrySettings.DEFAULT.maxAttempts();
      List<String> unproven = new ArrayList<>();
      c.byOperation()
          .forEach(
              (op, e) -> {
                if (e.get("outcome").getAsString().equals("ERROR")
                    && failedAttempts(journal, op) < maxAttempts) {
                  unproven.add(op + " " + e);
                }
              });
      assertEquals(List.of(), unproven, "ERROR outcomes without exhausted retries");
      for (String op : seeded) {
        if (c.byOperation().get(op).get("outcome").getAsString().equals("CANCELLED")) {
          assertTrue(
              journal.stream()
                  .anyMatch(
                      j ->
                          j.method().equals("POST")
                              && j.path().endsWith("/" + op + ":cancel")
                              && j.status() == 200),
              op + " is CANCELLED without an accepted cancel");
        }
      }

      JsonObject summary = c.summary();
      assertNotNull(summary, "a summary arrived");
      assertEquals(seeded.size(), summary.get("total").getAsInt(), summary.toString());
      Map<String, Long> counts = new TreeMap<>();
      summary
          .getAsJsonObject("counts")
          .entrySet()
          .forEach(x -> counts.put(x.getKey(), x.getValue().getAsLong()));
      counts.values().removeIf(v -> v == 0);
      assertEquals(tally, counts, "the summary counts are the outcomes' counts");
      assertEquals(
          seeded.size(), counts.values().stream().mapToLong(Long::longValue).sum(), "add up");
    }
  }

  /** Journal entries naming {@code op} that failed: 503 or a reset connection (status 0). */
  static long failedAttempts(List<Journal.Entry> journal, String op) {
    return journal.stream()
        .filter(j -> j.path().endsWith("/" + op) || j.path().endsWith("/" + op + ":cancel"))
        .filter(j -> j.status() == 503 || j.status() == 0)
        .count();
  }
}
