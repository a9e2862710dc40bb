package dev.fusioncancel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.chaos.ChaosRig;
import dev.fusioncancel.emulator.Behaviour;
import dev.fusioncancel.testing.EventarcBridge;
import dev.fusioncancel.testing.FunctionProcess;
import dev.fusioncancel.testing.OutcomeEvents;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * End to end: a bulk request with the wildcard parent {@code projects/P/locations/-}, published to
 * the Pub/Sub emulator and delivered by the Eventarc-style bridge to BulkCancelFunction under the
 * real invoker, over three seeded locations of which {@code ALLOWED_PARENTS} allows two.
 */
class WildcardParentsIT {
  private static final String TARGET = "dev.fusioncancel.functions.BulkCancelFunction";
  private static final String PROJECT = "demo-project";
  private static final String ALL = "projects/demo-project/locations/-";
  private static final String US = "projects/demo-project/locations/us-central1";
  private static final String EU = "projects/demo-project/locations/europe-west1";
  private static final String ASIA = "projects/demo-project/locations/asia-east1";
  private static final String REQUESTS = "wildcard-requests";
  private static final String OUTCOMES = "wildcard-outcomes";
  private static ChaosRig.Stack stack;
  private static FunctionProcess function;

  @BeforeAll
  static void start() throws Exception {
    stack = ChaosRig.open(REQUESTS, OUTCOMES);
    Map<String, String> env =
        new HashMap<>(ChaosRig.env(stack.emulator(), stack.pubsub(), OUTCOMES));
    env.put("ALLOWED_PARENTS", US + "," + EU);
    function = FunctionProcess.start(TARGET, env);
  }

  @AfterAll
  static void stop() {
    if (function != null) {
      function.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @BeforeEach
  void reset() throws Exception {
    stack.emulator().reset();
    stack.pubsub().drain(stack.watch(), Integer.MAX_VALUE, Duration.ofMillis(300));
    for (String parent : List.of(US, EU, ASIA)) {
      stack.emulator().seedMany(parent, 2, Behaviour.cancellable());
    }
  }

  /** Publishes the request and collects its events through the bridge in {@code mode}. */
  private static OutcomeEvents run(EventarcBridge.Mode mode, String request, int outcomes)
      throws Exception {
    String sub = REQUESTS + "-" + mode.name().toLowerCase() + "-" + System.nanoTime();
    stack.pubsub().createSubscription(sub, REQUESTS);
    try (EventarcBridge bridge =
        new EventarcBridge(stack.pubsub(), REQUESTS, sub, function.url(), mode)) {
      String messageId = stack.pubsub().publish(REQUESTS, request, Map.of());
      OutcomeEvents events =
          OutcomeEvents.collect(stack.pubsub(), stack.watch(), messageId, outcomes);
      assertEquals(0, bridge.failed(), "every delivery answered 2xx");
      return events;
    }
  }

  @ParameterizedTest
  @EnumSource(EventarcBridge.Mode.class)
  void wildcard_cancelsInTheAllowedLocations_andNeverCallsTheOther(EventarcBridge.Mode mode)
      throws Exception {
    OutcomeEvents events = run(mode, "{\"parents\":[\"" + ALL + "\"],\"wait\":\"5s\"}", 4);

    assertEquals(
        Set.of(
            US + "/operations/op-00001",
            US + "/operations/op-00002",
            EU + "/operations/op-00001",
            EU + "/operations/op-00002"),
        events.byOperation().keySet());
    assertTrue(
        events.byOperation().values().stream()
            .allMatch(e -> e.get("outcome").getAsString().equals("CANCELLED")),
        events.byOperation().toString());
    assertEquals(5, events.raw().size(), "four outcome events and one summary: " + events.raw());

    JsonObject summary = events.summary();
    assertEquals(4, summary.get("total").getAsInt());
    OutcomeEvents.assertCountsAddUp(summary);
    assertEquals(
        JsonParser.parseString(
            "{\"" + EU + "\":{\"CANCELLED\":2},\"" + US + "\":{\"CANCELLED\":2}}"),
        summary.get("locations"));
    assertEquals(JsonParser.parseString("[\"" + ASIA + "\"]"), summary.get("locationsNotAllowed"));

    var journal = stack.emulator().journal();
    assertEquals(1, journal.locationsListCount(PROJECT), "one locations.list page");
    assertEquals(0, journal.listCount(ASIA), "no operations.list for the disallowed location");
    assertEquals(
        0,
        journal.count("GET", p -> p.contains(ASIA)) + journal.count("POST", p -> p.contains(ASIA)));
    assertEquals(0, journal.listCount(ALL), "operations.list is never called on locations/-");
    assertFalse(
        stack.emulator().operation(ASIA + "/operations/op-00001").orElseThrow().has("done"),
        "the disallowed location's operations still run");
  }

  @ParameterizedTest
  @EnumSource(EventarcBridge.Mode.class)
  void wildcardDryRun_showsTheWholeAllowedSelection_andCancelsNothing(EventarcBridge.Mode mode)
      throws Exception {
    OutcomeEvents events = run(mode, "{\"parents\":[\"" + ALL + "\"],\"dryRun\":true}", 4);

    assertEquals(4, events.byOperation().size(), events.byOperation().keySet().toString());
    assertTrue(
        events.byOperation().values().stream()
            .allMatch(e -> e.get("outcome").getAsString().equals("DRY_RUN")));
    assertTrue(events.summary().get("dryRun").getAsBoolean());
    assertEquals(0, stack.emulator().journal().count("POST", p -> true), "nothing cancelled");
  }

  @ParameterizedTest
  @EnumSource(EventarcBridge.Mode.class)
  void wildcardOfAProjectNoPatternAllows_isRefusedWithOneErrorSummary_andNoCall(
      EventarcBridge.Mode mode) throws Exception {
    OutcomeEvents events = run(mode, "{\"parents\":[\"projects/other-project/locations/-\"]}", 0);

    assertTrue(events.summary().has("error"), events.summary().toString());
    assertTrue(
        events
            .summary()
            .getAsJsonObject("error")
            .get("message")
            .getAsString()
            .contains("projects/other-project/locations/-"));
    assertEquals(0, stack.emulator().journal().size(), "nothing was called");
  }
}
