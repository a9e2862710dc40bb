package dev.fusioncancel.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.fusioncancel.bulk.BulkSettings;
import dev.fusioncancel.client.InMemoryOperationsApi;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.events.PublishException;
import dev.fusioncancel.events.RecordingOutcomeSink;
import dev.fusioncancel.events.RecordingOutcomeSink.Message;
import dev.fusioncancel.outcome.EventIds;
import dev.fusioncancel.time.FakeTime;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BulkCancelFunctionTest {
  private static final String P = "projects/proj-a/locations/us-central1";
  private static final String TOPIC = "projects/proj-a/topics/bulk-cancel";

  private final FakeTime time = new FakeTime();
  private final InMemoryOperationsApi api = new InMemoryOperationsApi();
  private final RecordingOutcomeSink sink = new RecordingOutcomeSink();

  private java.io.PrintStream stdout;

  @org.junit.jupiter.api.BeforeEach
  void quietLogs() {
    stdout =
        dev.fusioncancel.log.CloudLog.redirect(
            new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
  }

  @org.junit.jupiter.api.AfterEach
  void restoreLogs() {
    dev.fusioncancel.log.CloudLog.redirect(stdout);
  }

  private BulkCancelFunction function(Map<String, String> env, BulkSettings settings) {
    Config config = Config.from(env);
    return new BulkCancelFunction(
        Wiring.bulkService(
            config,
            dev.fusioncancel.client.TestClients.retrying(
                api,
                dev.fusioncancel.client.RetrySettings.DEFAULT,
                new dev.fusioncancel.budget.Budgets(config.requestsPerMinute(), time, time),
                time),
            sink,
            sink,
            time,
            time,
            time,
            dev.fusioncancel.engine.Workers.inline(),
            settings),
        time);
  }

  private BulkCancelFunction function() {
    return function(Map.of(), BulkSettings.DEFAULT.withWorkers(2));
  }

  private static CloudEvent event(String messageId, byte[] data) {
    JsonObject message = new JsonObject();
    message.addProperty("data", Base64.getEncoder().encodeToString(data));
    message.addProperty("messageId", messageId);
    return envelope(message);
  }

  private static CloudEvent envelope(JsonObject message) {
    JsonObject body = new JsonObject();
    body.add("message", message);
    body.addProperty("subscription", "projects/proj-a/subscriptions/eventarc-sub");
    return raw(body.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static CloudEvent raw(byte[] body) {
    return CloudEventBuilder.v1()
        .withId("ce-id-1")
        .withSource(URI.create("//pubsub.googleapis.com/" + TOPIC))
        .withType("google.cloud.pubsub.topic.v1.messagePublished")
        .withDataContentType("application/json")
        .withData(body)
        .build();
  }

  private static CloudEvent event(String messageId, String json) {
    return event(messageId, json.getBytes(StandardCharsets.UTF_8));
  }

  private void addRunning(String... ids) {
    for (String id : ids) {
      api.put(
          InMemoryOperationsApi.running(
              P + "/operations/" + id, "update", "t", time.instant().minus(Duration.ofHours(8))));
    }
  }

  private Message onlySummary() {
    assertEquals(1, sink.all().size(), "exactly one event: " + sink.all());
    Message m = sink.all().get(0);
    assertEquals("summary", m.attributes().get("type"));
    return m;
  }

  @Test
  void accept_operationLiterallyNamedSummary_getsAnEventIdApartFromTheSummarys() throws Exception {
    function().accept(event("4711", "{\"operations\":[\"summary\", \"summary/2\"]}"));

    List<Message> events = sink.outcomeEvents();
    assertEquals(2, events.size());
    Message summary = sink.all().get(sink.all().size() - 1);
    assertEquals("summary", summary.attributes().get("type"));
    for (Message m : events) {
      assertEquals("INVALID_NAME", m.attributes().get("outcome"));
      assertTrue(
          !m.attributes().get("eventId").equals(summary.attributes().get("eventId")),
          "operation '" + m.attributes().get("operation") + "' shares the summary's eventId");
      assertTrue(
          !m.attributes().get("eventId").equals(EventIds.summary("4711", 2)),
          "operation '" + m.attributes().get("operation") + "' shares part 2's summary eventId");
    }
  }

  @Test
  void accept_validRequest_publishesOneEventPerOperationThenTheSummary() throws Exception {
    addRunning("a", "b", "c");
    function()
        .accept(
            event(
                "4711",
                "{\"parents\":[\"" + P + "\"],\"operations\":[\"bogus\"],\"olderThan\":\"6h\"}"));

    List<Message> events = sink.outcomeEvents();
    assertEquals(4, events.size());
    for (Message m : events) {
      assertEquals("4711", m.attributes().get("requestId"));
      assertEquals(
          EventIds.of("4711", m.attributes().get("operation")), m.attributes().get("eventId"));
      assertEquals(m.attributes().get("outcome"), m.json().get("outcome").getAsString());
      assertEquals("false", m.attributes().get("dryRun"));
    }
    Message summary = sink.all().get(sink.all().size() - 1);
    assertEquals("summary", summary.attributes().get("type"));
    assertEquals(EventIds.summary("4711", 1), summary.attributes().get("eventId"));
    JsonObject data = summary.json();
    assertEquals("4711", data.get("requestId").getAsString());
    assertEquals(4, data.get("total").getAsInt());
    assertEquals(3, data.getAsJsonObject("counts").get("CANCELLED").getAsInt());
    assertEquals(1, data.getAsJsonObject("counts").get("INVALID_NAME").getAsInt());
    assertEquals(0, data.get("skippedByLimit").getAsInt());
    assertTrue(data.has("startedAt") && data.has("finishedAt"));
  }

  @Test
  void accept_badBase64_publishesOneErrorSummary_noCall_returnsNormally() throws Exception {
    JsonObject message = new JsonObject();
    message.addProperty("data", "!!not base64!!");
    message.addProperty("messageId", "99");
    function().accept(envelope(message));
    Message summary = onlySummary();
    assertTrue(
        summary.json().getAsJsonObject("error").get("message").getAsString().contains("base64"));
    assertEquals("99", summary.attributes().get("requestId"));
    assertEquals(0, summary.json().get("total").getAsInt());
    assertEquals(List.of(), api.calls());
  }

  @Test
  void accept_validFiveMegabyteMessage_isRunNotRefused() throws Exception {
    addRunning("a");
    String request =
        "{\"parents\":[\"" + P + "\"]," + " ".repeat(5_000_000) + "\"olderThan\":\"6h\"}";
    function().accept(event("5mb", request));
    List<Message> events = sink.outcomeEvents();
    assertEquals(1, events.size(), "the operation got its outcome: " + sink.all());
    assertEquals("CANCELLED", events.get(0).attributes().get("outcome"));
    Message summary = sink.all().get(sink.all().size() - 1);
    assertEquals(false, summary.json().has("error"), summary.json().toString());
  }

  @Test
  void accept_messageOverTheOneLimit_isAnErrorSummaryNamingTheLimit() throws Exception {
    addRunning("a");
    byte[] big = new byte[dev.fusioncancel.bulk.BulkRequestJson.MAX_BYTES + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    function().accept(event("11mb", big));
    Message summary = onlySummary();
    assertEquals("11mb", summary.attributes().get("requestId"));
    String error = summary.json().getAsJsonObject("error").get("message").getAsString();
    assertTrue(error.contains("10485760 bytes (10 MiB)"), error);
    assertEquals(List.of(), api.calls());
  }

  @Test
  void accept_invalidUtf8_publishesOneErrorSummary() throws Exception {
    function().accept(event("7", new byte[] {'{', (byte) 0xff, '}'}));
    assertTrue(
        onlySummary()
            .json()
            .getAsJsonObject("error")
            .get("message")
            .getAsString()
            .contains("UTF-8"));
    assertEquals(List.of(), api.calls());
  }

  @Test
  void accept_unknownField_publishesOneErrorSummary() throws Exception {
    addRunning("a");
    function().accept(event("8", "{\"parents\":[\"" + P + "\"],\"olderthan\":\"6h\"}"));
    assertTrue(
        onlySummary()
            .json()
            .getAsJsonObject("error")
            .get("message")
            .getAsString()
            .contains("olderthan"));
    assertEquals(List.of(), api.calls());
  }

  @Test
  void accept_notAPubSubEnvelope_usesTheCloudEventId() throws Exception {
    function().accept(raw("[[[".getBytes(StandardCharsets.UTF_8)));
    assertEquals("ce-id-1", onlySummary().attributes().get("requestId"));
  }

  @Test
  void accept_parentNotAllowed_publishesOneErrorSummary() throws Exception {
    function(
            Map.of("ALLOWED_PARENTS", "projects/other-proj/locations/*"),
            BulkSettings.DEFAULT.withWorkers(2))
        .accept(event("9", "{\"parents\":[\"" + P + "\"]}"));
    assertTrue(
        onlySummary()
            .json()
            .getAsJsonObject("error")
            .get("message")
            .getAsString()
            .contains("ALLOWED_PARENTS"));
    assertEquals(List.of(), api.calls());
  }

  @Test
  void accept_publishFails_throwsSoPubSubRedelivers() {
    addRunning("a");
    sink.failing();
    assertThrows(
        PublishException.class,
        () -> function().accept(event("10", "{\"operations\":[\"" + P + "/operations/a\"]}")));
  }

  @Test
  void accept_invalidMessageAndPublishFails_throws() {
    sink.failing();
    assertThrows(PublishException.class, () -> function().accept(event("11", "{}")));
  }

  @Test
  void accept_sameMessageTwice_producesTheSameEventIds() throws Exception {
    addRunning("a", "b");
    BulkCancelFunction f = function();
    CloudEvent e =
        event(
            "12",
            "{\"operations\":[\"" + P + "/operations/a\",\"" + P + "/operations/b\", \"x\"]}");
    f.accept(e);
    List<String> first = eventIds();
    assertEquals(4, first.size());
    f.accept(e);
    List<String> all = eventIds();
    assertEquals(first, all.subList(first.size(), all.size()));
  }

  private List<String> eventIds() {
    List<String> ids = new ArrayList<>();
    for (Message m : sink.all()) {
      ids.add(m.attributes().get("eventId"));
    }
    return ids;
  }

  @Test
  void accept_deadline_publishesFollowUpWithRemainingNamesAndTheSameRequestId() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      names.add(P + "/operations/f" + i);
      addRunning("f" + i);
    }
    BulkSettings settings =
        BulkSettings.DEFAULT.withWorkers(1).withDeadline(Duration.ofSeconds(60));
    Map<String, String> env = Map.of("REQUESTS_PER_MINUTE", "60");
    function(env, settings)
        .accept(
            event(
                "500",
                "{\"operations\":[\"" + String.join("\",\"", names) + "\"],\"wait\":\"5s\"}"));

    List<Message> followUps = sink.on(TOPIC);
    assertEquals(1, followUps.size());
    JsonObject next = followUps.get(0).json();
    assertEquals("500", next.getAsJsonObject("continuation").get("requestId").getAsString());
    assertEquals(2, next.getAsJsonObject("continuation").get("part").getAsInt());
    int handled = sink.outcomeEvents().size();
    assertEquals(40 - handled, next.getAsJsonArray("operations").size());
    assertEquals(names.get(handled), next.getAsJsonArray("operations").get(0).getAsString());
    JsonObject summary = sink.summaries().get(0).json();
    assertEquals(handled, summary.get("total").getAsInt());
    assertEquals(40 - handled, summary.getAsJsonObject("followUp").get("remaining").getAsInt());

    // The follow-up arrives as a new message with its own id; events keep the original request id.
    byte[] data = followUps.get(0).data().getBytes(StandardCharsets.UTF_8);
    function(Map.of(), BulkSettings.DEFAULT.withWorkers(2)).accept(event("501", data));
    List<Message> events = sink.outcomeEvents();
    assertEquals(40, events.size());
    assertEquals(40, events.stream().map(m -> m.attributes().get("eventId")).distinct().count());
    assertTrue(events.stream().allMatch(m -> m.attributes().get("requestId").equals("500")));
    List<Message> summaries = sink.summaries();
    assertEquals(2, summaries.size());
    assertEquals(EventIds.summary("500", 2), summaries.get(1).attributes().get("eventId"));
    assertEquals(2, summaries.get(1).json().get("part").getAsInt());
    assertEquals(1, sink.on(TOPIC).size(), "no second follow-up");
  }

  /** An operation done with CANCELLED at the current fake time, as a real cancel leaves it. */
  private Operation cancelledNow(Operation op) {
    return new Operation(
        op.name(),
        true,
        new Operation.OperationError(1, "Operation was cancelled."),
        false,
        op.verb(),
        op.target(),
        op.createTime(),
        time.instant(),
        true,
        op.apiVersion());
  }

  private Operation done(String id, Instant end, Boolean requestedCancellation) {
    return new Operation(
        P + "/operations/" + id,
        true,
        requestedCancellation == null ? null : new Operation.OperationError(1, "cancelled"),
        requestedCancellation == null,
        "update",
        "t",
        time.instant().minus(Duration.ofHours(9)),
        end,
        requestedCancellation,
        "v1");
  }

  @Test
  void accept_redeliveryAfterPublishFailed_reportsEveryOpOnceCancelledWithoutCancellingAgain()
      throws Exception {
    Instant published = time.instant().minusSeconds(2);
    List<String> ours = new ArrayList<>();
    for (String id : List.of("a", "b", "c")) {
      String name = P + "/operations/" + id;
      ours.add(name);
      api.put(
          InMemoryOperationsApi.running(
              name, "update", "t", time.instant().minus(Duration.ofHours(8))));
      api.onCancel(name, this::cancelledNow);
    }
    // Not ours: cancelled (by someone) before the request was published ...
    api.put(done("before", published.minusSeconds(60), true));
    // ... and finished on its own after it was published, never asked to cancel.
    api.put(done("self-finished", published.plusSeconds(1), null));
    JsonObject message = new JsonObject();
    message.addProperty(
        "data",
        Base64.getEncoder()
            .encodeToString(
                ("{\"parents\":[\"" + P + "\"],\"olderThan\":\"6h\"}")
                    .getBytes(StandardCharsets.UTF_8)));
    message.addProperty("messageId", "777");
    message.addProperty("publishTime", published.toString());
    CloudEvent delivery = envelope(message);
    BulkCancelFunction f = function();

    sink.failing();
    assertThrows(PublishException.class, () -> f.accept(delivery));
    assertEquals(3, api.count("cancel"), "the first delivery cancelled all three");
    assertTrue(sink.all().isEmpty());

    sink.healthy();
    time.advance(Duration.ofMinutes(10)); // Pub/Sub redelivers later; publishTime is unchanged
    f.accept(delivery);

    assertEquals(3, api.count("cancel"), "no second cancel: " + api.calls());
    assertEquals(0, api.count("get"), "done candidates come from the list, no GET");
    List<Message> events = sink.outcomeEvents();
    assertEquals(ours, events.stream().map(m -> m.attributes().get("operation")).sorted().toList());
    for (Message m : events) {
      String op = m.attributes().get("operation");
      assertEquals(EventIds.of("777", op), m.attributes().get("eventId"), "as the first attempt");
      assertEquals("777", m.attributes().get("requestId"));
      JsonObject data = m.json();
      assertEquals("CANCELLED", data.get("outcome").getAsString());
      assertTrue(data.get("detail").getAsString().contains("already finished"), data.toString());
      assertTrue(!data.has("cancelStatus"), "no cancel was sent on this delivery: " + data);
      assertTrue(data.get("requestedCancellation").getAsBoolean());
    }
    JsonObject summary = sink.summaries().get(0).json();
    assertEquals(3, summary.get("total").getAsInt());
    assertEquals(3, summary.getAsJsonObject("counts").get("CANCELLED").getAsInt());
  }

  @Test
  void accept_sameMessageTwice_firstDeliveryReportsTheSameEventIdsAsTheRedelivery()
      throws Exception {
    Instant published = time.instant().minusSeconds(1);
    for (String id : List.of("a", "b")) {
      String name = P + "/operations/" + id;
      api.put(
          InMemoryOperationsApi.running(
              name, "update", "t", time.instant().minus(Duration.ofHours(8))));
      api.onCancel(name, this::cancelledNow);
    }
    JsonObject message = new JsonObject();
    message.addProperty(
        "data",
        Base64.getEncoder()
            .encodeToString(("{\"parents\":[\"" + P + "\"]}").getBytes(StandardCharsets.UTF_8)));
    message.addProperty("messageId", "778");
    message.addProperty("publishTime", published.toString());
    BulkCancelFunction f = function();
    f.accept(envelope(message));
    List<String> first = eventIds();
    time.advance(Duration.ofMinutes(3));
    f.accept(envelope(message));
    List<String> all = eventIds();
    assertEquals(3, first.size(), "two events and the summary");
    assertEquals(first, all.subList(first.size(), all.size()));
    assertEquals(2, api.count("cancel"));
  }
}
