package dev.fusioncancel.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.fusioncancel.client.InMemoryOperationsApi;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.outcome.OutcomeEvent;
import dev.fusioncancel.outcome.PollSettings;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.time.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CancelEngineTest {
  private static final String NAME = "projects/my-project/locations/us-central1/operations/op-1";
  private final FakeTime time = new FakeTime();
  private final InMemoryOperationsApi api = new InMemoryOperationsApi();
  private final CancelEngine engine =
      new CancelEngine(api.client(time), time, time, time, PollSettings.DEFAULT, 100);
  private final Canceller canceller = new Canceller();

  /** One operation through the engine, as the HTTP function runs it (60 s per call). */
  private final class Canceller {
    CancelResult cancel(OperationName name, Duration wait) throws InterruptedException {
      long now = time.nanoTime();
      long cancelsEnd = now + Duration.ofSeconds(60).toNanos();
      CancelEngine.Report report;
      try (Workers.Pool pool = Workers.inline().open(1)) {
        report =
            engine.run(
                List.of(CancelEngine.Target.of(name)),
                new CancelEngine.Deadlines(
                    cancelsEnd, cancelsEnd, wait, cancelsEnd + 60_000_000_000L + wait.toNanos()),
                true,
                Map.of(),
                pool);
      }
      assertEquals(1, report.results().size(), report.toString());
      return report.results().get(0);
    }
  }

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

  private CancelEngine.Report runAll(List<CancelEngine.Target> targets, CancelEngine.Deadlines d)
      throws InterruptedException {
    try (Workers.Pool pool = Workers.inline().open(1)) {
      return engine.run(targets, d, true, Map.of(), pool);
    }
  }

  private CancelEngine.Deadlines plenty(Duration wait) {
    long now = time.nanoTime();
    long min = Duration.ofMinutes(1).toNanos();
    return new CancelEngine.Deadlines(now + min, now + min, wait, now + 5 * min);
  }

  @Test
  void run_listedDoneOperation_isReportedFromTheListing_withNoCall() throws Exception {
    Operation done = InMemoryOperationsApi.cancelled(op());
    CancelEngine.Report r =
        runAll(
            List.of(new CancelEngine.Target(OperationName.parse(NAME), done, null)),
            plenty(Duration.ZERO));
    assertEquals(Outcome.CANCELLED, r.results().get(0).outcome());
    assertEquals(List.of(), api.calls());
  }

  @Test
  void run_aFollowUpCheck_isCheckedAndNeverCancelledAgain_keepingTheCancelStatus()
      throws Exception {
    api.put(InMemoryOperationsApi.cancelled(op()));
    CancelEngine.Report r =
        runAll(
            List.of(
                new CancelEngine.Target(
                    OperationName.parse(NAME),
                    null,
                    dev.fusioncancel.outcome.CancelAttempt.ACCEPTED)),
            plenty(Duration.ZERO));
    assertEquals(Outcome.CANCELLED, r.results().get(0).outcome());
    assertEquals(List.of("get " + NAME), api.calls());
    assertEquals("OK", OutcomeEvent.of("req", r.results().get(0), false).cancelStatus());
  }

  @Test
  void run_pastTheCancelCutoff_sendsNothing_andReportsItNotCancelled() throws Exception {
    api.put(op());
    long now = time.nanoTime();
    CancelEngine.Report r =
        runAll(
            List.of(CancelEngine.Target.of(OperationName.parse(NAME))),
            new CancelEngine.Deadlines(now, now, Duration.ZERO, now + 1_000_000_000L));
    assertEquals(List.of(OperationName.parse(NAME)), r.notCancelled());
    assertEquals(List.of(), r.results());
    assertEquals(List.of(), api.calls());
  }

  @Test
  void run_acceptedButTheHardStopCameBeforeTheCheck_isNotCheckedNotError() throws Exception {
    api.put(op())
        .onCancel(
            NAME,
            o -> {
              time.advance(Duration.ofMinutes(2)); // the cancel's answer took the rest of the run
              return InMemoryOperationsApi.requested(o);
            });
    long now = time.nanoTime();
    long minute = Duration.ofMinutes(1).toNanos();
    CancelEngine.Report r =
        runAll(
            List.of(CancelEngine.Target.of(OperationName.parse(NAME))),
            new CancelEngine.Deadlines(now + minute, now + minute, Duration.ZERO, now + minute));
    assertEquals(List.of(), r.results(), "no ERROR for want of time");
    assertEquals(1, r.notChecked().size());
    assertTrue(r.notChecked().get(0).cancel().accepted());
    assertEquals(0, api.count("get"), "no request after the hard stop");
  }

  @Test
  void run_severalInOneLocation_areCheckedWithOneSharedListPage() throws Exception {
    List<CancelEngine.Target> targets = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String n = "projects/my-project/locations/us-central1/operations/s" + i;
      api.put(InMemoryOperationsApi.running(n, "update", "t", Instant.EPOCH));
      targets.add(CancelEngine.Target.of(OperationName.parse(n)));
    }
    CancelEngine.Report r = runAll(targets, plenty(Duration.ZERO));
    assertEquals(5, r.results().size());
    assertTrue(r.results().stream().allMatch(x -> x.outcome() == Outcome.CANCELLED));
    assertEquals(0, api.count("get"));
    assertEquals(1, api.count("list"));
  }

  @Test
  void run_getExhaustedAfterAnAcceptedCancel_isErrorOnlyAfterRetries() throws Exception {
    api.put(op()).getFails(NAME, Code.UNAVAILABLE);
    CancelResult r = canceller.cancel(OperationName.parse(NAME), Duration.ZERO);
    assertEquals(Outcome.ERROR, r.outcome());
    assertEquals(6, api.count("get"), "every attempt of the default retry settings was made");
  }
}
