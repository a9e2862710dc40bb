package dev.fusioncancel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The outcome events of one bulk request, pulled from an outcome subscription: every event as it
 * arrived ({@link #raw()}, with the repeats of redeliveries), the latest event per operation, every
 * eventId seen per operation, and the summaries (one per part and delivery). Every event collected
 * is validated against the outcome topic's Pub/Sub schema ({@link OutcomeSchema}).
 */
public record OutcomeEvents(
    Map<String, JsonObject> byOperation,
    Map<String, Set<String>> eventIdsByOperation,
    List<PubSubEmulator.Received> raw,
    List<JsonObject> summaries) {

  /** The latest final summary (one without a follow-up), else the latest summary, else null. */
  public JsonObject summary() {
    JsonObject last = null;
    for (JsonObject s : summaries) {
      if (!s.has("followUp")) {
        last = s;
      }
    }
    return last != null || summaries.isEmpty() ? last : summaries.get(summaries.size() - 1);
  }

  /**
   * Pulls (and acknowledges) the events of {@code requestId} (null: of any request) until {@code
   * expectedOutcomes} operations have an outcome and a final summary arrived, or two minutes
   * passed.
   */
  public static OutcomeEvents collect(
      PubSubEmulator pubsub, String subscription, String requestId, int expectedOutcomes)
      throws Exception {
    return collect(pubsub, subscription, requestId, expectedOutcomes, Duration.ofSeconds(120));
  }

  /** As {@link #collect(PubSubEmulator, String, String, int)} with a timeout. */
  public static OutcomeEvents collect(
      PubSubEmulator pubsub,
      String subscription,
      String requestId,
      int expectedOutcomes,
      Duration timeout)
      throws Exception {
    OutcomeEvents events =
        new OutcomeEvents(new TreeMap<>(), new TreeMap<>(), new ArrayList<>(), new ArrayList<>());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!events.complete(expectedOutcomes) && System.nanoTime() < deadline) {
      events.add(pubsub.drain(subscription, 1, Duration.ofSeconds(1)), requestId);
    }
    return events;
  }

  /** Pulls the events of {@code requestId} until its first summary (of any part) arrived. */
  public static OutcomeEvents collectFirstPart(
      PubSubEmulator pubsub, String subscription, String requestId, Duration timeout)
      throws Exception {
    OutcomeEvents events =
        new OutcomeEvents(new TreeMap<>(), new TreeMap<>(), new ArrayList<>(), new ArrayList<>());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (events.summaries.isEmpty() && System.nanoTime() < deadline) {
      events.add(pubsub.drain(subscription, 1, Duration.ofSeconds(1)), requestId);
    }
    return events;
  }

  /** Pulls for {@code quiet} more, for repeats that may still come (e.g. a second delivery). */
  public OutcomeEvents andThen(
      PubSubEmulator pubsub, String subscription, String requestId, Duration quiet)
      throws Exception {
    add(pubsub.drain(subscription, Integer.MAX_VALUE, quiet), requestId);
    return this;
  }

  private boolean complete(int expectedOutcomes) {
    return byOperation.size() >= expectedOutcomes
        && summaries.stream().anyMatch(s -> !s.has("followUp"));
  }

  private void add(List<PubSubEmulator.Received> batch, String requestId) {
    for (PubSubEmulator.Received m : batch) {
      if (requestId != null && !requestId.equals(m.attributes().get("requestId"))) {
        continue;
      }
      raw.add(m);
      // Pub/Sub would refuse what the outcome topic's schema does not describe.
      OutcomeSchema.validate(m.data());
      JsonObject data = JsonParser.parseString(m.data()).getAsJsonObject();
      if ("summary".equals(m.attributes().get("type"))) {
        summaries.add(data);
      } else {
        String op = m.attributes().get("operation");
        byOperation.put(op, data);
        eventIdsByOperation
            .computeIfAbsent(op, k -> new LinkedHashSet<>())
            .add(m.attributes().get("eventId"));
      }
    }
  }

  /** How many outcome events (not summaries) arrived, repeats included. */
  public long outcomeEventCount() {
    return raw.stream().filter(m -> !"summary".equals(m.attributes().get("type"))).count();
  }

  /**
   * Exactly the given operations have outcomes, each under one eventId however often it was
   * published (deduplicated by eventId, one outcome per operation), all with {@code requestId}.
   */
  public void assertOneOutcomeEach(Collection<String> operations, String requestId) {
    assertEquals(
        new TreeSet<>(operations),
        byOperation.keySet(),
        "every operation has an outcome, and only those");
    eventIdsByOperation.forEach(
        (op, ids) -> assertEquals(1, ids.size(), op + " has more than one eventId: " + ids));
    for (PubSubEmulator.Received m : raw) {
      assertEquals(requestId, m.attributes().get("requestId"), m.attributes().toString());
    }
    byOperation
        .values()
        .forEach(e -> assertEquals(requestId, e.get("requestId").getAsString(), e.toString()));
    assertNotNull(summary(), "a final summary arrived");
    summaries.forEach(OutcomeEvents::assertCountsAddUp);
  }

  /** The summary's counts add up to its total. */
  public static void assertCountsAddUp(JsonObject summary) {
    int sum =
        summary.getAsJsonObject("counts").entrySet().stream()
            .mapToInt(e -> e.getValue().getAsInt())
            .sum();
    assertEquals(summary.get("total").getAsInt(), sum, summary.toString());
    assertTrue(summary.get("total").getAsInt() >= 0);
  }
}
