package dev.fusioncancel.chaos;

import static dev.fusioncancel.chaos.ChaosRig.BULK;
import static dev.fusioncancel.chaos.ChaosRig.US;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.testing.FunctionProcess;
import dev.fusioncancel.testing.OutcomeEvents;
import dev.fusioncancel.testing.PubSubEmulator;
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
 * Chaos: Pub/Sub goes away in the middle of a bulk run and comes back empty (an own emulator,
 * stopped and restarted on the same port). The run cannot publish its events, so the delivery
 * fails; the redelivered message completes the run.
 */
class PubSubOutageChaosIT {
  private static final String REQUESTS = "outage-requests";
  private static final String OUTCOMES = "outage-outcomes";
  private static final int OPERATIONS = 300;
  private static ChaosRig.Stack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = ChaosRig.open(REQUESTS, OUTCOMES, PubSubEmulator.startOwn(), ChaosRig.fusion());
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void pubsubDownMidRun_failsTheDelivery_andTheRedeliveryCompletesTheRun() throws Exception {
    List<String> ops = ChaosRig.seed(stack.emulator(), OPERATIONS);
    stack.emulator().faults().latency(Duration.ofMillis(20));
    String id = "outage-" + UUID.randomUUID();
    Instant published = Instant.now();
    String request = "{\"parents\":[\"" + US + "\"],\"wait\":\"2s\"}";
    try (FunctionProcess f =
        FunctionProcess.start(BULK, ChaosRig.env(stack.emulator(), stack.pubsub(), OUTCOMES))) {
      CompletableFuture<HttpResponse<String>> delivery =
          CompletableFuture.supplyAsync(
              () -> CrashChaosIT.deliver(f.url(), id, request, published));
      ChaosRig.await(
          () -> ChaosRig.cancels(stack.emulator()),
          OPERATIONS / 3,
          Duration.ofSeconds(60),
          "cancels");
      long t0 = System.nanoTime();
      stack.pubsub().stop();
      long cancelsAtOutage = ChaosRig.cancels(stack.emulator());
      stack.pubsub().restart();
      long outageMs = (System.nanoTime() - t0) / 1_000_000;
      HttpResponse<String> during = delivery.get(60, TimeUnit.SECONDS);
      assertTrue(
          during != null && during.statusCode() >= 500,
          "the events could not be published: the delivery must fail, got "
              + (during == null ? "no answer" : during.statusCode() + " " + during.body()));
      assertTrue(cancelsAtOutage < OPERATIONS, "down mid-run: " + cancelsAtOutage + " cancels");
      long cancelsBefore = ChaosRig.cancels(stack.emulator());

      stack.topics(); // a restarted emulator is empty
      HttpResponse<String> redelivered = CrashChaosIT.deliver(f.url(), id, request, published);
      assertEquals(200, redelivered.statusCode(), redelivered.body());
      OutcomeEvents events =
          OutcomeEvents.collect(stack.pubsub(), stack.watch(), id, OPERATIONS)
              .andThen(stack.pubsub(), stack.watch(), id, Duration.ofMillis(500));
      events.assertOneOutcomeEach(ops, id);
      assertEquals(OPERATIONS, events.summary().get("total").getAsInt());
      long max = ChaosRig.maxCancelsPerOperation(stack.emulator(), ops);
      System.out.printf(
          "PubSubOutageChaosIT: Pub/Sub down after %d cancels for %d ms; first delivery -> %d;"
              + " %d cancels in all, at most %d per operation; summary %s%n",
          cancelsAtOutage,
          outageMs,
          during.statusCode(),
          ChaosRig.cancels(stack.emulator()),
          max,
          events.summary().get("counts"));
      assertEquals(
          cancelsBefore,
          ChaosRig.cancels(stack.emulator()),
          "the redelivery cancels nothing again");
      assertTrue(max <= 1, "no operation cancelled twice, got " + max);
    } finally {
      stack.emulator().faults().clear();
    }
  }
}
