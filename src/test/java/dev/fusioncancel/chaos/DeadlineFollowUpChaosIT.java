package dev.fusioncancel.chaos;

import static dev.fusioncancel.chaos.ChaosRig.BULK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.fusioncancel.testing.EventarcBridge;
import dev.fusioncancel.testing.FunctionProcess;
import dev.fusioncancel.testing.OutcomeEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chaos: a bulk request larger than one invocation can finish within a short configured deadline
 * ({@code -Dfusioncancel.bulk.deadline=15s}) against a slow upstream: the rest continues in
 * follow-up messages through the request topic, and every operation gets its outcome under the
 * original requestId.
 */
class DeadlineFollowUpChaosIT {
  private static final String REQUESTS = "deadline-requests";
  private static final String OUTCOMES = "deadline-outcomes";
  private static final int OPERATIONS = 500;
  private static final Duration DEADLINE = Duration.ofSeconds(15);
  private static ChaosRig.Stack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = ChaosRig.open(REQUESTS, OUTCOMES);
    stack.pubsub().createSubscription(REQUESTS + "-eventarc", REQUESTS, 600);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void requestLargerThanOneInvocation_continuesInFollowUps_everyOpOneOutcomeUnderTheRequestId()
      throws Exception {
    List<String> ops = ChaosRig.seed(stack.emulator(), OPERATIONS);
    stack.emulator().faults().latency(Duration.ofMillis(200));
    try (FunctionProcess f =
            FunctionProcess.start(
                BULK,
                ChaosRig.limited(ChaosRig.env(stack.emulator(), stack.pubsub(), OUTCOMES)),
                "-Dfusioncancel.bulk.deadline=" + DEADLINE.toSeconds() + "s");
        EventarcBridge bridge =
            new EventarcBridge(
                stack.pubsub(),
                REQUESTS,
                REQUESTS + "-eventarc",
                f.url(),
                EventarcBridge.Mode.BINARY)) {
      String id = stack.pubsub().publish(REQUESTS, ChaosRig.request(ops, "1s"), Map.of());
      OutcomeEvents events =
          OutcomeEvents.collect(
              stack.pubsub(), stack.watch(), id, OPERATIONS, Duration.ofMinutes(3));
      events.assertOneOutcomeEach(ops, id);
      assertEquals(
          OPERATIONS, events.outcomeEventCount(), "no outcome published twice: nothing redone");
      List<JsonObject> parts = events.summaries();
      assertTrue(parts.size() >= 2, "the run needed a follow-up: " + parts);
      assertTrue(parts.get(0).has("followUp"), parts.get(0).toString());
      assertEquals(
          OPERATIONS,
          parts.stream().mapToInt(s -> s.get("total").getAsInt()).sum(),
          "the parts' totals add up to the request");
      for (JsonObject part : parts) {
        Duration took =
            Duration.between(
                Instant.parse(part.get("startedAt").getAsString()),
                Instant.parse(part.get("finishedAt").getAsString()));
        assertTrue(took.compareTo(DEADLINE) < 0, "a part ran past the deadline: " + part);
      }
      assertEquals(0, bridge.failed(), "no delivery failed");
      assertEquals(
          OPERATIONS, ChaosRig.cancels(stack.emulator()), "every operation cancelled once");
      System.out.printf(
          "DeadlineFollowUpChaosIT: %d operations in %d parts of %s%n",
          OPERATIONS, parts.size(), parts.stream().map(s -> s.get("total").getAsString()).toList());
    } finally {
      stack.emulator().faults().clear();
    }
  }
}
