package dev.fusioncancel.chaos;

import static dev.fusioncancel.chaos.ChaosRig.BULK;
import static dev.fusioncancel.chaos.ChaosRig.US;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.testing.EventarcBridge;
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
 * Chaos: the invoker process dies in the middle of a bulk run; Pub/Sub redelivers the same message
 * (same messageId, same publishTime) to a new instance, which completes the run.
 */
class CrashChaosIT {
  private static final String REQUESTS = "crash-requests";
  private static final String OUTCOMES = "crash-outcomes";
  private static final int OPERATIONS = 300;
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
  void invokerKilledMidRun_redeliveryToANewInstance_givesOneOutcomeEach_andNoOpCancelledTwice()
      throws Exception {
    List<String> ops = ChaosRig.seed(stack.emulator(), OPERATIONS);
    stack.emulator().faults().latency(Duration.ofMillis(20));
    String id = "crash-" + UUID.randomUUID();
    Instant published = Instant.now();
    String request = "{\"parents\":[\"" + US + "\"],\"wait\":\"2s\"}";

    FunctionProcess first =
        FunctionProcess.start(
            BULK, ChaosRig.limited(ChaosRig.env(stack.emulator(), stack.pubsub(), OUTCOMES)));
    CompletableFuture<HttpResponse<String>> delivery =
        CompletableFuture.supplyAsync(() -> deliver(first.url(), id, request, published));
    ChaosRig.await(
        () -> ChaosRig.cancels(stack.emulator()),
        OPERATIONS / 3,
        Duration.ofSeconds(60),
        "cancels");
    first.kill();
    long cancelsAtCrash = ChaosRig.cancels(stack.emulator());
    HttpResponse<String> crashed = delivery.handle((r, e) -> r).get(30, TimeUnit.SECONDS);
    assertTrue(crashed == null || crashed.statusCode() / 100 != 2, "the crashed delivery failed");
    assertFalse(first.alive());
    assertTrue(cancelsAtCrash < OPERATIONS, "killed mid-run: " + cancelsAtCrash + " cancels");

    try (FunctionProcess second =
        FunctionProcess.start(
            BULK, ChaosRig.limited(ChaosRig.env(stack.emulator(), stack.pubsub(), OUTCOMES)))) {
      HttpResponse<String> redelivered = deliver(second.url(), id, request, published);
      assertEquals(200, redelivered.statusCode(), redelivered.body());
      OutcomeEvents events =
          OutcomeEvents.collect(stack.pubsub(), stack.watch(), id, OPERATIONS)
              .andThen(stack.pubsub(), stack.watch(), id, Duration.ofMillis(500));
      events.assertOneOutcomeEach(ops, id);
      assertEquals(OPERATIONS, events.summary().get("total").getAsInt());
      long max = ChaosRig.maxCancelsPerOperation(stack.emulator(), ops);
      long total = ChaosRig.cancels(stack.emulator());
      System.out.printf(
          "CrashChaosIT: killed after %d cancels; %d cancels in all for %d operations,"
              + " at most %d per operation; summary %s%n",
          cancelsAtCrash, total, OPERATIONS, max, events.summary().get("counts"));
      assertTrue(max <= 2, "no operation cancelled more than twice, got " + max);
      assertTrue(
          events.byOperation().values().stream()
              .allMatch(e -> e.get("outcome").getAsString().equals("CANCELLED")),
          events.summary().toString());
    } finally {
      stack.emulator().faults().clear();
    }
  }

  static HttpResponse<String> deliver(String url, String id, String request, Instant published) {
    try {
      return EventarcBridge.deliverDirect(url, REQUESTS, id, request, published);
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
