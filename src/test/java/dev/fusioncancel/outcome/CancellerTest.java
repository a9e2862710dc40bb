package dev.fusioncancel.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.fusioncancel.client.InMemoryOperationsApi;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.time.FakeTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CancellerTest {
  private static final String NAME = "projects/my-project/locations/us-central1/operations/op-1";
  private final FakeTime time = new FakeTime();
  private final InMemoryOperationsApi api = new InMemoryOperationsApi();
  private final Canceller canceller = new Canceller(api, time, time, PollSettings.DEFAULT);

  private Operation op() {
    return InMemoryOperationsApi.running(
        NAME, "update", "projects/my-project/locations/us-central1/instances/i", Instant.EPOCH);
  }

  @Test
  void cancel_whenCancelTakesEffect_reportsCancelledAfterOneGet() throws Exception {
    api.put(op());
    CancelResult r = canceller.cancel(OperationName.parse(NAME), Duration.ZERO);
    assertEquals(Outcome.CANCELLED, r.outcome());
    assertEquals(1, api.count("cancel"));
    assertEquals(1, api.count("get"));
  }

  @Test
  void cancel_whenOperationAlreadyDone_reportsCompleted() throws Exception {
    api.put(InMemoryOperationsApi.completed(op()));
    assertEquals(
        Outcome.COMPLETED, canceller.cancel(OperationName.parse(NAME), Duration.ZERO).outcome());
  }

  @Test
  void cancel_withZeroWait_stillRunning_reportsCancellingWithoutSleeping() throws Exception {
    api.put(op()).onCancel(NAME, InMemoryOperationsApi::requested);
    CancelResult r = canceller.cancel(OperationName.parse(NAME), Duration.ZERO);
    assertEquals(Outcome.CANCELLING, r.outcome());
    assertTrue(time.sleeps().isEmpty());
    assertEquals(Boolean.TRUE, r.operation().requestedCancellation());
  }

  @Test
  void cancel_withWait_pollsWithBackoffUntilTheWaitEnds() throws Exception {
    api.put(op()).onCancel(NAME, InMemoryOperationsApi::requested);
    Instant start = time.instant();
    CancelResult r = canceller.cancel(OperationName.parse(NAME), Duration.ofSeconds(10));
    assertEquals(Outcome.CANCELLING, r.outcome());
    assertEquals(Duration.ofSeconds(10), Duration.between(start, time.instant()));
    assertEquals(Duration.ofMillis(500), time.sleeps().get(0));
    assertEquals(Duration.ofMillis(750), time.sleeps().get(1));
    assertTrue(api.count("get") >= 5 && api.count("get") <= 10, "gets: " + api.count("get"));
  }

  @Test
  void cancel_unimplemented_stillChecksTheOperation() throws Exception {
    api.put(InMemoryOperationsApi.completed(op())).cancelFails(NAME, Code.UNIMPLEMENTED);
    CancelResult r = canceller.cancel(OperationName.parse(NAME), Duration.ZERO);
    assertEquals(Outcome.COMPLETED, r.outcome());
    assertEquals(1, api.count("get"));
    assertEquals("UNIMPLEMENTED", OutcomeEvent.of("req", r, false).cancelStatus());
  }

  @Test
  void cancel_notFound_makesNoGet() throws Exception {
    CancelResult r = canceller.cancel(OperationName.parse(NAME), Duration.ofSeconds(5));
    assertEquals(Outcome.NOT_FOUND, r.outcome());
    assertEquals(0, api.count("get"));
  }

  @Test
  void outcomeEvent_hasStableIdsAndOmitsUnreportedFields() throws Exception {
    api.put(op());
    CancelResult r = canceller.cancel(OperationName.parse(NAME), Duration.ZERO);
    JsonObject a = OutcomeEvent.of("req-1", r, false).toJson();
    JsonObject b = OutcomeEvent.of("req-1", r, false).toJson();
    JsonObject c = OutcomeEvent.of("req-2", r, false).toJson();
    assertEquals(a.get("eventId"), b.get("eventId"));
    assertFalse(a.get("eventId").equals(c.get("eventId")));
    assertEquals("CANCELLED", a.get("outcome").getAsString());
    assertEquals(1, a.getAsJsonObject("error").get("code").getAsInt());
    assertEquals("OK", a.get("cancelStatus").getAsString());
    assertEquals("1970-01-01T00:00:00Z", a.get("createTime").getAsString());

    CancelResult invalid =
        CancelResult.withoutCall("bad", Outcome.INVALID_NAME, "bad name", time.instant());
    JsonObject d = OutcomeEvent.of("req-1", invalid, false).toJson();
    assertFalse(d.has("done"));
    assertFalse(d.has("cancelStatus"));
    assertFalse(d.has("verb"));
    assertEquals(false, d.get("dryRun").getAsBoolean());
  }
}
