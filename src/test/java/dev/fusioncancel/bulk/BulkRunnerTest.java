package dev.fusioncancel.bulk;

import static dev.fusioncancel.bulk.Fixtures.P;
import static dev.fusioncancel.bulk.Fixtures.Q;
import static dev.fusioncancel.bulk.Fixtures.op;
import static dev.fusioncancel.bulk.Fixtures.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.client.InMemoryOperationsApi;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.time.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BulkRunnerTest {
  private final FakeTime time = new FakeTime();
  private final Instant now = time.instant();
  private final InMemoryOperationsApi api = new InMemoryOperationsApi();

  private BulkRunner runner(Config config, BulkSettings settings) {
    return new BulkRunner(config, api, time, time, settings);
  }

  private BulkReport run(String json) throws Exception {
    return runner(Fixtures.config("", 600_000), BulkSettings.DEFAULT.withWorkers(1))
        .run(Fixtures.parse(json), "req-1");
  }

  private static Map<String, Outcome> outcomes(BulkReport report) {
    return report.results().stream()
        .collect(Collectors.toMap(CancelResult::name, CancelResult::outcome));
  }

  private static String ops(String... names) {
    return "{\"operations\":[\"" + String.join("\",\"", names) + "\"],\"wait\":\"5s\"}";
  }

  @Test
  void run_eachScriptedBehaviour_getsItsOutcome() throws Exception {
    String cancelled = op(P, "cancelled");
    String cancelling = op(P, "cancelling");
    String completed = op(P, "completed");
    String notCancellable = op(P, "not-cancellable");
    String unimplementedButDone = op(P, "finished-anyway");
    String missing = op(P, "missing");
    String denied = op(P, "denied");
    String unavailable = op(P, "unavailable");
    String getFails = op(Q, "get-fails");
    for (String n :
        List.of(cancelled, cancelling, completed, notCancellable, denied, unavailable, getFails)) {
      running(api, n, "update", now, Duration.ofHours(1));
    }
    api.put(
        InMemoryOperationsApi.completed(
            InMemoryOperationsApi.running(unimplementedButDone, "update", "t", now)));
    api.onCancel(cancelling, InMemoryOperationsApi::requested);
    api.onCancel(completed, InMemoryOperationsApi::completed);
    api.cancelFails(notCancellable, Code.FAILED_PRECONDITION);
    api.cancelFails(unimplementedButDone, Code.UNIMPLEMENTED);
    api.cancelFails(denied, Code.PERMISSION_DENIED);
    api.cancelFails(unavailable, Code.UNAVAILABLE);
    api.getFails(getFails, Code.UNAVAILABLE);

    BulkReport report =
        run(
            ops(
                cancelled,
                cancelling,
                completed,
                notCancellable,
                unimplementedButDone,
                missing,
                denied,
                unavailable,
                getFails,
                "projects/proj-a/locations/us-central1/operations/bad:id"));

    Map<String, Outcome> got = outcomes(report);
    assertEquals(Outcome.CANCELLED, got.get(cancelled));
    assertEquals(Outcome.CANCELLING, got.get(cancelling));
    assertEquals(Outcome.COMPLETED, got.get(completed));
    assertEquals(Outcome.NOT_CANCELLABLE, got.get(notCancellable));
    assertEquals(Outcome.COMPLETED, got.get(unimplementedButDone));
    assertEquals(Outcome.NOT_FOUND, got.get(missing));
    assertEquals(Outcome.PERMISSION_DENIED, got.get(denied));
    assertEquals(Outcome.ERROR, got.get(unavailable));
    assertEquals(Outcome.ERROR, got.get(getFails));
    assertEquals(
        Outcome.INVALID_NAME, got.get("projects/proj-a/locations/us-central1/operations/bad:id"));
    assertEquals(10, report.results().size());
    assertEquals(List.of(), report.remaining());
    assertTrue(
        !time.instant().isBefore(now.plusSeconds(5)), "kept checking the running one for the wait");
    assertFalse(
        api.calls().contains("get " + missing), "NOT_FOUND from cancel needs no GET afterwards");
  }

  @Test
  void run_500OpsInOneLocation_costsAtMost1point2CallsPerOp() throws Exception {
    for (int i = 0; i < 500; i++) {
      running(api, op(P, String.format("op%04d", i)), "update", now, Duration.ofHours(7));
    }
    BulkReport report =
        runner(Fixtures.config(), BulkSettings.DEFAULT.withWorkers(1))
            .run(Fixtures.parse("{\"parents\":[\"" + P + "\"],\"olderThan\":\"6h\"}"), "req-1");

    assertEquals(500, report.results().size());
    assertTrue(report.results().stream().allMatch(r -> r.outcome() == Outcome.CANCELLED));
    double perOp = api.calls().size() / 500.0;
    assertTrue(perOp <= 1.2, "calls per op: " + perOp + " " + summarize(api.calls()));
    assertEquals(500, api.count("cancel"));
    assertEquals(0, api.count("get"), "confirmed by one listing, not 500 GETs");
    Duration took = Duration.between(now, time.instant());
    assertTrue(
        took.compareTo(Duration.ofSeconds(54)) >= 0, "540 per minute respected, took " + took);
  }

  @Test
  void run_manyOpsWithEightWorkers_allHandledOnce() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String n = op(i % 2 == 0 ? P : Q, "w" + i);
      names.add(n);
      running(api, n, "update", now, Duration.ofHours(7));
    }
    BulkReport report =
        runner(Fixtures.config("", 600_000), BulkSettings.DEFAULT.withWorkers(8))
            .run(Fixtures.parse(ops(names.toArray(String[]::new))), "req-1");
    assertEquals(300, report.results().size());
    assertEquals(300, new HashSet<>(outcomes(report).keySet()).size());
    assertTrue(report.results().stream().allMatch(r -> r.outcome() == Outcome.CANCELLED));
    assertEquals(300, api.count("cancel"));
    assertTrue(api.calls().size() <= 300 * 1.2, summarize(api.calls()));
  }

  @Test
  void run_singleOpInALocation_isCheckedWithOneGet() throws Exception {
    String n = op(P, "only");
    running(api, n, "update", now, Duration.ofHours(1));
    BulkReport report = run(ops(n));
    assertEquals(Outcome.CANCELLED, report.results().get(0).outcome());
    assertEquals(List.of("cancel " + n, "get " + n), api.calls());
  }

  @Test
  void run_dryRun_makesNoCancelCall() throws Exception {
    running(api, op(P, "a"), "update", now, Duration.ofHours(7));
    running(api, op(P, "b"), "update", now, Duration.ofHours(7));
    BulkReport report =
        run(
            "{\"parents\":[\""
                + P
                + "\"],\"operations\":[\""
                + op(Q, "x")
                + "\"],\"dryRun\":true}");
    assertEquals(0, api.count("cancel"));
    assertEquals(0, api.count("get"));
    assertEquals(3, report.results().size());
    assertTrue(report.results().stream().allMatch(r -> r.outcome() == Outcome.DRY_RUN));
    assertFalse(api.current(op(P, "a")).done());
  }

  @Test
  void run_deadline_leavesTheRestForAFollowUp() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String n = op(P, "d" + i);
      names.add(n);
      running(api, n, "update", now, Duration.ofHours(7));
    }
    // 60 s deadline: 30 s margin, 10 s reserve and the 5 s wait leave 15 s for cancels at 1/s.
    BulkSettings settings =
        BulkSettings.DEFAULT.withWorkers(1).withDeadline(Duration.ofSeconds(60));
    BulkReport report =
        runner(Fixtures.config("", 60), settings)
            .run(Fixtures.parse(ops(names.toArray(String[]::new))), "req-1");

    int done = report.results().size();
    assertTrue(done >= 14 && done <= 17, "cancelled " + done);
    assertEquals(100, done + report.remaining().size(), "every name is handled or remaining");
    assertEquals(names.subList(done, 100), report.remaining(), "the rest, in order");
    assertEquals(done, api.count("cancel"));
    assertTrue(
        time.instant().isBefore(now.plus(settings.deadline()).minus(settings.safetyMargin())),
        "finished before the publishing margin: " + time.instant());
  }

  @Test
  void run_parentOutsideAllowedParents_isRefusedWithoutCalls() {
    BulkRunner r = runner(Fixtures.config(P, 540), BulkSettings.DEFAULT);
    org.junit.jupiter.api.Assertions.assertThrows(
        InvalidRequestException.class,
        () -> r.run(Fixtures.parse("{\"parents\":[\"" + Q + "\"]}"), "req-1"));
    assertEquals(List.of(), api.calls());
  }

  @Test
  void run_limit_reportsSkipped() throws Exception {
    for (int i = 0; i < 10; i++) {
      running(api, op(P, "l" + i), "update", now, Duration.ofHours(10 - i));
    }
    BulkReport report = run("{\"parents\":[\"" + P + "\"],\"limit\":4}");
    assertEquals(4, report.results().size());
    assertEquals(6, report.skippedByLimit());
    assertEquals(
        List.of(op(P, "l0"), op(P, "l1"), op(P, "l2"), op(P, "l3")),
        report.results().stream().map(CancelResult::name).sorted().toList());
  }

  @Test
  void run_opMissingFromTheListAfterCancel_isFetchedOnItsOwn() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      names.add(op(P, "v" + i));
      running(api, op(P, "v" + i), "update", now, Duration.ofHours(7));
    }
    String hidden = op(P, "v2");
    dev.fusioncancel.client.OperationsApi hiding =
        new dev.fusioncancel.client.OperationsApi() {
          @Override
          public void cancel(dev.fusioncancel.name.OperationName n) {
            api.cancel(n);
          }

          @Override
          public dev.fusioncancel.client.Operation get(dev.fusioncancel.name.OperationName n) {
            return api.get(n);
          }

          @Override
          public dev.fusioncancel.client.OperationPage list(
              dev.fusioncancel.name.LocationName parent, int pageSize, String pageToken) {
            dev.fusioncancel.client.OperationPage page = api.list(parent, pageSize, pageToken);
            return new dev.fusioncancel.client.OperationPage(
                page.operations().stream().filter(o -> !o.name().equals(hidden)).toList(),
                page.nextPageToken());
          }
        };
    BulkReport report =
        new BulkRunner(
                Fixtures.config("", 600_000),
                hiding,
                time,
                time,
                BulkSettings.DEFAULT.withWorkers(1))
            .run(Fixtures.parse(ops(names.toArray(String[]::new))), "req-1");
    assertTrue(report.results().stream().allMatch(r -> r.outcome() == Outcome.CANCELLED));
    assertEquals(1, api.count("list"));
    assertEquals(
        List.of("get " + hidden), api.calls().stream().filter(c -> c.startsWith("get ")).toList());
  }

  @Test
  void run_throttledCancel_slowsTheLocationAndReportsError() throws Exception {
    String a = op(P, "t1");
    String b = op(P, "t2");
    running(api, a, "update", now, Duration.ofHours(1));
    running(api, b, "update", now, Duration.ofHours(1));
    api.cancelFails(a, Code.RESOURCE_EXHAUSTED);
    RateLimiters limiters = new RateLimiters(600, time, time, time);
    BulkReport report =
        new BulkRunner(
                Fixtures.config("", 600),
                api,
                limiters,
                time,
                time,
                BulkSettings.DEFAULT.withWorkers(1))
            .run(Fixtures.parse(ops(a, b)), "req-1");
    Map<String, Outcome> got = outcomes(report);
    assertEquals(Outcome.ERROR, got.get(a), "still running after a throttled cancel");
    assertEquals(Outcome.CANCELLED, got.get(b));
    assertTrue(
        limiters.of(dev.fusioncancel.name.LocationName.parse(P)).requestsPerMinute() < 600,
        "the location slowed down");
    assertTrue(
        time.sleeps().stream().anyMatch(d -> d.compareTo(Duration.ofMillis(900)) >= 0),
        "paused after the 429: " + time.sleeps());
  }

  private static String summarize(List<String> calls) {
    return calls.stream()
        .collect(Collectors.groupingBy(c -> c.substring(0, c.indexOf(' ')), Collectors.counting()))
        .toString();
  }
}
