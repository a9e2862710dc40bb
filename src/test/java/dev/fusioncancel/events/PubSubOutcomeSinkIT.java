package dev.fusioncancel.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.bulk.BulkSummary;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.outcome.OutcomeEvent;
import dev.fusioncancel.testing.PubSubEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Publishes outcome events to the real Pub/Sub emulator and pulls them back. */
class PubSubOutcomeSinkIT {
  private static final String TOPIC = PubSubEmulator.topicName("sink-outcomes");
  private static PubSubEmulator pubsub;

  @BeforeAll
  static void startEmulator() throws Exception {
    pubsub = PubSubEmulator.startOrConnect();
    pubsub.createTopic("sink-outcomes");
    pubsub.createSubscription("sink-outcomes-sub", "sink-outcomes");
    pubsub.drain("sink-outcomes-sub", Integer.MAX_VALUE, Duration.ofMillis(300));
  }

  @AfterAll
  static void stopEmulator() {
    if (pubsub != null) {
      pubsub.close();
    }
  }

  @Test
  void publish_outcomeEventsAndSummary_arriveWithDataAndAttributes() throws Exception {
    try (PubSubPublishers publishers = new PubSubPublishers(Optional.of(pubsub.hostPort()))) {
      OutcomeSink sink = publishers.forTopic(TOPIC);
      assertSame(sink, publishers.forTopic(TOPIC), "one sink and publisher per topic");
      Instant t = Instant.parse("2026-11-26T12:00:00Z");
      PublishTracker tracker = new PublishTracker(dev.fusioncancel.time.Ticker.SYSTEM);
      Map<String, OutcomeEvent> sent = new HashMap<>();
      List<CancelResult> results = new ArrayList<>();
      for (int i = 0; i < 250; i++) {
        CancelResult r =
            CancelResult.withoutCall(
                "projects/proj-a/locations/us-central1/operations/op" + i,
                i % 2 == 0 ? Outcome.DRY_RUN : Outcome.NOT_ALLOWED,
                "detail " + i,
                t);
        results.add(r);
        OutcomeEvent e = OutcomeEvent.of("req-42", r, true);
        sent.put(e.eventId(), e);
        tracker.publish(sink, e.toJson().toString(), e.attributes());
      }
      BulkSummary summary =
          new BulkSummary(
              "req-42",
              1,
              true,
              BulkSummary.count(results),
              t,
              t,
              Optional.of(0),
              Optional.empty(),
              Map.of(),
              Optional.empty());
      tracker.publish(sink, summary.toJson().toString(), summary.attributes());
      tracker.awaitAll(System.nanoTime() + Duration.ofSeconds(30).toNanos());

      List<PubSubEmulator.Received> received =
          pubsub.drain("sink-outcomes-sub", 251, Duration.ofSeconds(30));
      assertEquals(251, received.size());
      int summaries = 0;
      for (PubSubEmulator.Received m : received) {
        Map<String, String> attributes = m.attributes();
        JsonObject data = JsonParser.parseString(m.data()).getAsJsonObject();
        if ("summary".equals(attributes.get("type"))) {
          summaries++;
          assertEquals(summary.attributes(), attributes);
          assertEquals(250, data.get("total").getAsInt());
          assertEquals(125, data.getAsJsonObject("counts").get("DRY_RUN").getAsInt());
        } else {
          OutcomeEvent expected = sent.get(attributes.get("eventId"));
          assertEquals(expected.attributes(), attributes);
          assertEquals(expected.toJson(), data);
        }
      }
      assertEquals(1, summaries);
    }
  }
}
