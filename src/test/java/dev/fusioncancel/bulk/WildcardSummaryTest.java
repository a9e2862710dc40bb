package dev.fusioncancel.bulk;

import static dev.fusioncancel.bulk.Fixtures.op;
import static dev.fusioncancel.bulk.Fixtures.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.client.InMemoryOperationsApi;
import dev.fusioncancel.events.RecordingOutcomeSink;
import dev.fusioncancel.log.CloudLog;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.ProjectName;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.time.FakeTime;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The summary by location, and the follow-up of a wildcard whose locations were not listed. */
class WildcardSummaryTest {
  private static final String US = "projects/proj-a/locations/us-central1";
  private static final String EU = "projects/proj-a/locations/europe-west1";
  private static final String ASIA = "projects/proj-a/locations/asia-east1";
  private static final String ALL = "projects/proj-a/locations/-";
  private static final String TOPIC = "projects/proj-a/topics/requests";
  private static final Instant T = Instant.parse("2026-11-26T12:00:00Z");

  private final FakeTime time = new FakeTime();
  private final InMemoryOperationsApi api = new InMemoryOperationsApi();
  private final RecordingOutcomeSink sink = new RecordingOutcomeSink();
  private PrintStream stdout;

  @BeforeEach
  void quietLogs() {
    stdout = CloudLog.redirect(new PrintStream(OutputStream.nullOutputStream()));
  }

  @AfterEach
  void restoreLogs() {
    CloudLog.redirect(stdout);
  }

  @Test
  void summary_countsByFullParentName_everyLocationInScope_andTheLeftOutOnes() {
    List<CancelResult> results =
        List.of(
            CancelResult.withoutCall(op(US, "a"), Outcome.CANCELLED, "x", T),
            CancelResult.withoutCall(op(US, "b"), Outcome.CANCELLED, "x", T),
            CancelResult.withoutCall(op(US, "c"), Outcome.NOT_FOUND, "x", T),
            CancelResult.withoutCall(op(EU, "d"), Outcome.DRY_RUN, "x", T),
            CancelResult.withoutCall("not-a-name", Outcome.INVALID_NAME, "x", T));
    LocationExpansion.Scope scope =
        new LocationExpansion.Scope(
            List.of(LocationName.parse(US), LocationName.parse(EU), LocationName.parse(ASIA)),
            List.of(LocationName.parse("projects/proj-a/locations/me-west1")),
            List.of(),
            Map.of());
    BulkReport report =
        new BulkReport(
            "r",
            Fixtures.parse("{\"parents\":[\"" + ALL + "\"]}"),
            T,
            T,
            results,
            List.of(),
            0,
            Map.of(),
            scope);

    JsonObject json = BulkSummary.of(report, results, Optional.empty(), T).toJson();

    assertEquals(
        JsonParser.parseString(
            "{\""
                + ASIA
                + "\":{},\""
                + EU
                + "\":{\"DRY_RUN\":1},\""
                + US
                + "\":{\"CANCELLED\":2,\"NOT_FOUND\":1}}"),
        json.get("locations"));
    assertEquals(
        JsonParser.parseString("[\"projects/proj-a/locations/me-west1\"]"),
        json.get("locationsNotAllowed"));
    int byLocation =
        json.getAsJsonObject("locations").entrySet().stream()
            .flatMap(e -> e.getValue().getAsJsonObject().entrySet().stream())
            .mapToInt(e -> e.getValue().getAsInt())
            .sum();
    assertEquals(
        json.get("total").getAsInt(),
        byLocation + json.getAsJsonObject("counts").get("INVALID_NAME").getAsInt(),
        "locations plus invalid names add up to the total");
  }

  @Test
  void summary_ofAnInvalidRequest_hasNoLocations() {
    JsonObject json = BulkSummary.invalid("m", "bad", T, T).toJson();
    assertFalse(json.has("locations"));
    assertFalse(json.has("locationsNotAllowed"));
  }

  @Test
  void handle_wildcardNotListedInTime_goesToTheFollowUp_whichListsAndCancelsItUnderTheSameId()
      throws Exception {
    for (String parent : List.of(US, EU, ASIA)) {
      running(api, op(parent, "a"), "update", time.instant(), Duration.ofHours(8));
    }
    dev.fusioncancel.budget.Budgets drained = new dev.fusioncancel.budget.Budgets(1, time, time);
    assertTrue(
        drained.apply(new ProjectName("proj-a").locationsListBudgetKey()).acquire(time.nanoTime()));
    BulkSettings settings =
        BulkSettings.DEFAULT.withWorkers(1).withDeadline(Duration.ofSeconds(60));
    BulkService first =
        new BulkService(
            Fixtures.runner(Fixtures.config("", 1), api, drained, time, settings),
            sink,
            sink,
            time,
            time,
            Duration.ofSeconds(60));

    first.handle(
        ("{\"parents\":[\"" + ALL + "\"]}").getBytes(StandardCharsets.UTF_8),
        "m1",
        Optional.of(TOPIC));

    List<RecordingOutcomeSink.Message> followUps = sink.on(TOPIC);
    assertEquals(1, followUps.size());
    JsonObject next = followUps.get(0).json();
    assertEquals(JsonParser.parseString("[\"" + ALL + "\"]"), next.get("parents"));
    assertFalse(next.has("operations"));
    assertEquals(2, next.getAsJsonObject("continuation").get("part").getAsInt());
    JsonObject summary = sink.summaries().get(0).json();
    assertEquals(0, summary.get("total").getAsInt());
    JsonObject followUp = summary.getAsJsonObject("followUp");
    assertEquals(0, followUp.get("remaining").getAsInt());
    assertEquals(JsonParser.parseString("[\"" + ALL + "\"]"), followUp.get("parents"));
    assertEquals(0, api.calls().size(), "part 1 called nothing");

    BulkService second =
        new BulkService(
            Fixtures.runner(Fixtures.config("", 600_000), api, time, settings),
            sink,
            sink,
            time,
            time,
            Duration.ofSeconds(60));
    second.handle(
        followUps.get(0).data().getBytes(StandardCharsets.UTF_8), "m2", Optional.of(TOPIC));

    assertEquals(3, sink.outcomeEvents().size());
    assertTrue(
        sink.outcomeEvents().stream()
            .allMatch(
                m ->
                    m.attributes().get("requestId").equals("m1")
                        && m.attributes().get("outcome").equals("CANCELLED")));
    JsonObject part2 = sink.summaries().get(1).json();
    assertEquals(2, part2.get("part").getAsInt());
    assertEquals(3, part2.getAsJsonObject("locations").size());
    assertEquals(1, sink.on(TOPIC).size(), "no second follow-up");
  }

  @Test
  void handle_wildcardNotListedInTime_withoutATriggerTopic_isAParentError_neverSilent()
      throws Exception {
    running(api, op(US, "a"), "update", time.instant(), Duration.ofHours(8));
    dev.fusioncancel.budget.Budgets drained = new dev.fusioncancel.budget.Budgets(1, time, time);
    assertTrue(
        drained.apply(new ProjectName("proj-a").locationsListBudgetKey()).acquire(time.nanoTime()));
    BulkService service =
        new BulkService(
            Fixtures.runner(
                Fixtures.config("", 1),
                api,
                drained,
                time,
                BulkSettings.DEFAULT.withWorkers(1).withDeadline(Duration.ofSeconds(60))),
            sink,
            sink,
            time,
            time,
            Duration.ofSeconds(60));

    service.handle(
        ("{\"parents\":[\"" + ALL + "\"]}").getBytes(StandardCharsets.UTF_8),
        "m1",
        Optional.empty());

    JsonObject summary = sink.summaries().get(0).json();
    String error = summary.getAsJsonObject("parentErrors").get(ALL).getAsString();
    assertTrue(error.contains("not listed before the deadline"), error);
    assertFalse(summary.has("followUp"));
    assertEquals(0, sink.outcomeEvents().size());
  }
}
