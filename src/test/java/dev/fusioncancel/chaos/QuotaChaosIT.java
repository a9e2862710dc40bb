package dev.fusioncancel.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.emulator.FusionEmulator;
import dev.fusioncancel.testing.EventarcBridge;
import dev.fusioncancel.testing.FunctionProcess;
import dev.fusioncancel.testing.OutcomeEvents;
import dev.fusioncancel.testing.PubSubEmulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: the emulator's quota on (600 requests per minute per location, counting every request
 * as the real one does) and a fifth of all calls answering 503. Every request the function sends,
 * retries included, takes a permit of its 540-per-minute budget, so the quota is never the one to
 * say no: every operation gets one outcome, without sustained 429s and without ERROR.
 */
class QuotaChaosIT {
  static final String TARGET = "dev.fusioncancel.functions.BulkCancelFunction";
  static final String REQUESTS = "chaos-quota-requests";
  static final String OUTCOMES = "chaos-quota-outcomes";
  private static ChaosRig.Stack stack;

  @BeforeAll
  static void start() throws Exception {
    stack =
        ChaosRig.open(
            REQUESTS,
            OUTCOMES,
            PubSubEmulator.startOrConnect(),
            FusionEmulator.builder().port(0).quotaPerMinute(600));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void threeHundredOperations_underTheQuotaAnd20Percent503s_eachGetOneOutcome_noError()
      throws Exception {
    List<String> ops = ChaosRig.seed(stack.emulator(), 300);
    stack.emulator().faults().chaos(0.20, 0.0, 20_261_201L);
    Map<String, String> env =
        new java.util.HashMap<>(ChaosRig.env(stack.emulator(), stack.pubsub(), OUTCOMES));
    env.put("REQUESTS_PER_MINUTE", "540");
    String id = "quota-chaos-1";
    long start = System.nanoTime();
    try (FunctionProcess f = FunctionProcess.start(TARGET, env)) {
      HttpResponse<String> r =
          EventarcBridge.deliverDirect(
              f.url(), REQUESTS, id, ChaosRig.request(ops, "10s"), Instant.now());
      assertEquals(200, r.statusCode(), r.body());
      OutcomeEvents c =
          OutcomeEvents.collect(
              stack.pubsub(), stack.watch(), id, ops.size(), Duration.ofSeconds(120));
      stack.emulator().faults().clear();
      long requests = stack.emulator().counters().requests();
      long rejected = stack.emulator().counters().quotaRejections();
      Map<String, Long> tally =
          c.byOperation().values().stream()
              .collect(
                  Collectors.groupingBy(
                      e -> e.get("outcome").getAsString(), TreeMap::new, Collectors.counting()));
      System.out.printf(
          "QuotaChaosIT: %d operations, %s, %s, %d ms%n",
          c.byOperation().size(),
          tally,
          stack.emulator().counters(),
          Duration.ofNanos(System.nanoTime() - start).toMillis());

      assertEquals(new HashSet<>(ops), c.byOperation().keySet(), "none lost, none invented");
      c.eventIdsByOperation()
          .forEach((op, ids) -> assertEquals(1, ids.size(), op + " has several eventIds " + ids));
      assertTrue(stack.emulator().counters().injectedFaults() > 30, "the 503s happened");
      assertEquals(0L, tally.getOrDefault("ERROR", 0L), "no ERROR: " + tally);
      assertTrue(rejected <= requests / 100, "no sustained 429s: " + rejected + " of " + requests);
      OutcomeEvents.assertCountsAddUp(c.summary());
    }
  }
}
