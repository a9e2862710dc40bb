package dev.fusioncancel.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.rpc.Code;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The outcome document field by field, the poll schedule, and which outcomes are final. */
class OutcomeDocumentTest {
  private static final String NAME = "projects/p-roj1/locations/l/operations/o";
  private static final Instant CREATED = Instant.parse("2026-11-26T10:00:00Z");
  private static final Instant CHECKED = Instant.parse("2026-11-26T12:00:00Z");

  @Test
  void toJson_everyReportedField_inTheContractsOrder() {
    Operation op =
        new Operation(
            NAME,
            true,
            new Operation.OperationError(1, "cancelled"),
            false,
            "update",
            "projects/p-roj1/locations/l/instances/i",
            CREATED,
            null,
            true,
            "v1");
    CancelResult result =
        new CancelResult(
            NAME,
            CancelAttempt.ACCEPTED,
            op,
            null,
            new Verdict(Outcome.CANCELLED, "done"),
            CHECKED);
    OutcomeEvent event = OutcomeEvent.of("r1", result, false);
    JsonObject json = event.toJson();

    assertEquals(
        List.of(
            "eventId",
            "requestId",
            "operation",
            "outcome",
            "detail",
            "cancelStatus",
            "done",
            "error",
            "requestedCancellation",
            "verb",
            "target",
            "createTime",
            "checkedAt",
            "dryRun"),
        List.copyOf(json.keySet()));
    assertEquals(EventIds.of("r1", NAME), json.get("eventId").getAsString());
    assertEquals("r1", json.get("requestId").getAsString());
    assertEquals(NAME, json.get("operation").getAsString());
    assertEquals("CANCELLED", json.get("outcome").getAsString());
    assertEquals("done", json.get("detail").getAsString());
    assertEquals("OK", json.get("cancelStatus").getAsString());
    assertTrue(json.get("done").getAsBoolean());
    assertEquals(
        JsonParser.parseString("{\"code\":1,\"message\":\"cancelled\"}"), json.get("error"));
    assertTrue(json.get("requestedCancellation").getAsBoolean());
    assertEquals("update", json.get("verb").getAsString());
    assertEquals("projects/p-roj1/locations/l/instances/i", json.get("target").getAsString());
    assertEquals("2026-11-26T10:00:00Z", json.get("createTime").getAsString());
    assertEquals("2026-11-26T12:00:00Z", json.get("checkedAt").getAsString());
    assertFalse(json.get("dryRun").getAsBoolean());
  }

  @Test
  void toJson_omitsWhatTheApiDidNotReport() {
    OutcomeEvent event =
        OutcomeEvent.of(
            "r1", CancelResult.withoutCall("summary", Outcome.INVALID_NAME, "bad", null), true);
    JsonObject json = event.toJson();
    assertEquals(
        List.of("eventId", "requestId", "operation", "outcome", "detail", "dryRun"),
        List.copyOf(json.keySet()));
    assertTrue(json.get("dryRun").getAsBoolean());
  }

  @Test
  void toJson_anErrorWithoutMessage_andFalseFlags_areWrittenAsReported() {
    Operation op =
        new Operation(
            NAME,
            false,
            new Operation.OperationError(9, null),
            false,
            null,
            null,
            null,
            null,
            false,
            null);
    CancelResult result =
        new CancelResult(
            NAME, CancelAttempt.ACCEPTED, op, null, new Verdict(Outcome.CANCELLING, "d"), CHECKED);
    JsonObject json = OutcomeEvent.of("r", result, false).toJson();
    assertFalse(json.get("done").getAsBoolean());
    assertEquals(JsonParser.parseString("{\"code\":9}"), json.get("error"));
    assertFalse(json.get("requestedCancellation").getAsBoolean());
    assertFalse(json.has("verb") || json.has("target") || json.has("createTime"));
  }

  @Test
  void attributes_areTheContractsFive() {
    OutcomeEvent event =
        OutcomeEvent.of("r1", CancelResult.withoutCall(NAME, Outcome.DRY_RUN, "d", CHECKED), true);
    assertEquals(
        Map.of(
            "outcome",
            "DRY_RUN",
            "operation",
            NAME,
            "requestId",
            "r1",
            "eventId",
            EventIds.of("r1", NAME),
            "dryRun",
            "true"),
        event.attributes());
  }

  @Test
  void pollSettings_growByTheMultiplier_upToTheMax_andRefuseNonsense() {
    PollSettings p = new PollSettings(Duration.ofMillis(100), 1.5, Duration.ofMillis(400));
    assertEquals(Duration.ofMillis(150), p.next(Duration.ofMillis(100)));
    assertEquals(Duration.ofMillis(400), p.next(Duration.ofMillis(300)));
    assertEquals(Duration.ofMillis(400), p.next(Duration.ofMillis(267)), "exactly the max");
    assertEquals(Duration.ofMillis(2), p.next(Duration.ofMillis(1)), "rounded up");
    PollSettings constant = new PollSettings(Duration.ofMillis(1), 1.0, Duration.ofMillis(400));
    assertEquals(Duration.ofMillis(7), constant.next(Duration.ofMillis(7)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PollSettings(Duration.ZERO, 1.5, Duration.ofSeconds(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PollSettings(Duration.ofMillis(-1), 1.5, Duration.ofSeconds(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PollSettings(Duration.ofMillis(1), 0.99, Duration.ofSeconds(1)));
  }

  @Test
  void isFinal_forEveryOutcomeButCancelling() {
    for (Outcome o : Outcome.values()) {
      assertEquals(o != Outcome.CANCELLING, o.isFinal(), o.name());
    }
  }

  @Test
  void cancelAttempt_acceptedOnlyWhenOk() {
    assertTrue(CancelAttempt.ACCEPTED.accepted());
    assertEquals(Code.OK, CancelAttempt.ACCEPTED.status());
  }
}
