package dev.fusioncancel.chaos;

import static dev.fusioncancel.chaos.ChaosRig.BULK;
import static dev.fusioncancel.chaos.ChaosRig.US;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.testing.FunctionProcess;
import dev.fusioncancel.testing.OutcomeEvents;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chaos: the same request delivered twice at once (a duplicate scheduler fire, or Pub/Sub's
 * at-least-once delivery handing one message to two instances): no extra harm, same eventIds.
 */
class DuplicateFireChaosIT {
  private static final String REQUESTS = "dup-requests";
  private static final String OUTCOMES = "dup-outcomes";
  private static final int OPERATIONS = 200;
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

  @Test
  void sameMessageToTwoInstancesAtOnce_sameEventIds_everyOpAnOutcome_atMostTwoCancels()
      throws Exception {
    List<String> ops = ChaosRig.seed(stack.emulator(), OPERATIONS);
    stack.emulator().faults().latency(Duration.ofMillis(20));
    String id = "dup-" + UUID.randomUUID();
    Instant published = Instant.now();
    String request = "{\"parents\":[\"" + US + "\"],\"wait\":\"2s\"}";
    CompletableFuture<FunctionProcess> startA =
        CompletableFuture.supplyAsync(
            () ->
                FunctionProcess.start(
                    BULK, ChaosRig.env(stack.emulator(), stack.pubsub(), OUTCOMES)));
    CompletableFuture<FunctionProcess> startB =
        CompletableFuture.supplyAsync(
            () ->
                FunctionProcess.start(
                    BULK, ChaosRig.env(stack.emulator(), stack.pubsub(), OUTCOMES)));
    try (FunctionProcess a = startA.get(90, TimeUnit.SECONDS);
        FunctionProcess b = startB.get(90, TimeUnit.SECONDS)) {
      CompletableFuture<HttpResponse<String>> toA =
          CompletableFuture.supplyAsync(
              () -> CrashChaosIT.deliver(a.url(), id, request, published));
      CompletableFuture<HttpResponse<String>> toB =
          CompletableFuture.supplyAsync(
              () -> CrashChaosIT.deliver(b.url(), id, request, published));
      HttpResponse<String> ra = toA.get(90, TimeUnit.SECONDS);
      HttpResponse<String> rb = toB.get(90, TimeUnit.SECONDS);
      assertEquals(200, ra.statusCode(), ra.body());
      assertEquals(200, rb.statusCode(), rb.body());

      OutcomeEvents events =
          OutcomeEvents.collect(stack.pubsub(), stack.watch(), id, OPERATIONS)
              .andThen(stack.pubsub(), stack.watch(), id, Duration.ofSeconds(1));
      events.assertOneOutcomeEach(ops, id);
      assertEquals(
          2L * OPERATIONS,
          events.outcomeEventCount(),
          "both deliveries published an event for every operation, under the same eventIds");
      assertEquals(2, events.summaries().size(), "one summary per delivery");
      long max = ChaosRig.maxCancelsPerOperation(stack.emulator(), ops);
      System.out.printf(
          "DuplicateFireChaosIT: %d cancels for %d operations, at most %d per operation;"
              + " summaries %s / %s%n",
          ChaosRig.cancels(stack.emulator()),
          OPERATIONS,
          max,
          events.summaries().get(0).get("counts"),
          events.summaries().get(1).get("counts"));
      assertTrue(max <= 2, "no operation cancelled more than twice, got " + max);
      assertTrue(
          events.byOperation().values().stream()
              .allMatch(e -> e.get("outcome").getAsString().equals("CANCELLED")),
          events.summaries().toString());
    } finally {
      stack.emulator().faults().clear();
    }
  }
}
