package dev.fusioncancel.bulk;

import static dev.fusioncancel.bulk.Fixtures.P;
import static dev.fusioncancel.bulk.Fixtures.Q;
import static dev.fusioncancel.bulk.Fixtures.op;
import static dev.fusioncancel.bulk.Fixtures.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.client.InMemoryOperationsApi;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.time.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SelectorTest {
  private final FakeTime time = new FakeTime();
  private final Instant now = time.instant();
  private final InMemoryOperationsApi api = new InMemoryOperationsApi();
  private dev.fusioncancel.engine.Workers.Pool pool;

  @BeforeEach
  void setUp() {
    pool = dev.fusioncancel.engine.ThreadWorkers.INSTANCE.open(2);
    running(api, op(P, "old-update"), "update", now, Duration.ofHours(10));
    running(api, op(P, "older-restart"), "RESTART", now, Duration.ofHours(20));
    running(api, op(P, "young-update"), "update", now, Duration.ofHours(1));
    running(api, op(P, "oldest-delete"), "delete", now, Duration.ofHours(30));
    api.put(
        InMemoryOperationsApi.completed(
            InMemoryOperationsApi.running(op(P, "done"), "update", Fixtures.TARGET, now)));
    api.put(
        new dev.fusioncancel.client.Operation(
            op(P, "no-time"),
            false,
            null,
            false,
            "update",
            Fixtures.TARGET,
            null,
            null,
            null,
            "v1"));
    running(api, op(Q, "other-location"), "update", now, Duration.ofHours(50));
  }

  @AfterEach
  void tearDown() {
    pool.close();
  }

  private Selection select(Config config, String json) throws Exception {
    return new Selector(config, api.client(time), time, 2)
        .select(Fixtures.parse(json), time.instant(), Long.MAX_VALUE, pool);
  }

  private static List<String> names(Selection s) {
    return s.targets().stream().map(t -> t.name().toString()).toList();
  }

  @Test
  void select_parentOnly_takesRunningOnesOldestFirst_withoutTimeLast() throws Exception {
    Selection s = select(Fixtures.config(), "{\"parents\":[\"" + P + "\"]}");
    assertEquals(
        List.of(
            op(P, "oldest-delete"),
            op(P, "older-restart"),
            op(P, "old-update"),
            op(P, "young-update"),
            op(P, "no-time")),
        names(s));
    assertEquals(
        3, s.listPages().get(dev.fusioncancel.name.LocationName.parse(P)), "6 ops, pages of 2");
    assertTrue(api.calls().stream().allMatch(c -> c.startsWith("list ")), "only lists");
  }

  @Test
  void select_olderThan_skipsYoungAndThoseWithoutCreateTime() throws Exception {
    Selection s = select(Fixtures.config(), "{\"parents\":[\"" + P + "\"],\"olderThan\":\"6h\"}");
    assertEquals(
        List.of(op(P, "oldest-delete"), op(P, "older-restart"), op(P, "old-update")), names(s));
  }

  @Test
  void select_verbs_matchCaseInsensitively() throws Exception {
    Selection s =
        select(
            Fixtures.config(), "{\"parents\":[\"" + P + "\"],\"verbs\":[\"restart\",\"DELETE\"]}");
    assertEquals(List.of(op(P, "oldest-delete"), op(P, "older-restart")), names(s));
  }

  @Test
  void select_targets_matchExactly() throws Exception {
    Selection none =
        select(
            Fixtures.config(),
            "{\"parents\":[\""
                + P
                + "\"],\"targets\":[\""
                + Fixtures.TARGET.toUpperCase()
                + "\"]}");
    assertEquals(List.of(), names(none));
    Selection all =
        select(
            Fixtures.config(),
            "{\"parents\":[\"" + P + "\"],\"targets\":[\"" + Fixtures.TARGET + "\"]}");
    assertEquals(5, all.targets().size());
  }

  @Test
  void select_limit_keepsOldestAndCountsTheRest_explicitFirst() throws Exception {
    Selection s =
        select(
            Fixtures.config(),
            "{\"operations\":[\""
                + op(P, "young-update")
                + "\"],\"parents\":[\""
                + P
                + "\"],\"limit\":3}");
    assertEquals(
        List.of(op(P, "young-update"), op(P, "oldest-delete"), op(P, "older-restart")), names(s));
    assertEquals(2, s.skippedByLimit(), "5 selected (young-update deduplicated), 3 kept");
  }

  @Test
  void select_explicitNames_dedupedInvalidAndNotAllowedBecomeResults() throws Exception {
    Config config = Fixtures.config(P, 540);
    Selection s =
        select(
            config,
            "{\"operations\":[\"%s\",\"%s\",\"projects/x/locations/l/operations/a\",\"%s\",\"\"]}"
                .formatted(op(P, "a"), op(P, "a"), op(Q, "b")));
    assertEquals(List.of(op(P, "a")), names(s));
    List<Outcome> refused = s.refused().stream().map(CancelResult::outcome).toList();
    assertEquals(List.of(Outcome.INVALID_NAME, Outcome.NOT_ALLOWED, Outcome.INVALID_NAME), refused);
    assertEquals(List.of(), api.calls(), "explicit names need no call to be selected");
  }

  @Test
  void checkAllowed_parentOutsideAllowedParents_refusesTheRequestBeforeAnyCall() {
    Selector selector = new Selector(Fixtures.config(P, 540), api.client(time), time, 100);
    InvalidRequestException e =
        assertThrows(
            InvalidRequestException.class,
            () -> selector.checkAllowed(Fixtures.parse("{\"parents\":[\"" + Q + "\"]}")));
    assertTrue(e.getMessage().contains("ALLOWED_PARENTS"));
    assertEquals(List.of(), api.calls());
  }

  private static dev.fusioncancel.client.Operation finished(
      String id, Instant end, Boolean requestedCancellation) {
    return new dev.fusioncancel.client.Operation(
        op(P, id),
        true,
        new dev.fusioncancel.client.Operation.OperationError(1, "cancelled"),
        false,
        "update",
        Fixtures.TARGET,
        Instant.parse("2026-11-26T00:00:00Z"),
        end,
        requestedCancellation,
        "v1");
  }

  @Test
  void matches_doneOps_onlyThoseEndedAtOrAfterTheReferenceWithACancelRequested() {
    BulkRequest r = Fixtures.request(List.of(), List.of(P));
    dev.fusioncancel.name.LocationName p = dev.fusioncancel.name.LocationName.parse(P);
    Instant ref = Instant.parse("2026-11-26T11:00:00Z");
    assertTrue(Selector.matches(r, finished("at", ref, true), ref, p));
    assertTrue(Selector.matches(r, finished("after", ref.plusSeconds(5), true), ref, p));
    assertFalse(Selector.matches(r, finished("before", ref.minusMillis(1), true), ref, p));
    assertFalse(Selector.matches(r, finished("not-asked", ref.plusSeconds(5), false), ref, p));
    assertFalse(Selector.matches(r, finished("unknown", ref.plusSeconds(5), null), ref, p));
    assertFalse(Selector.matches(r, finished("no-end", null, true), ref, p));
  }

  @Test
  void matches_anOperationCreatedAfterTheReference_wasNotRunningThen_andIsNotSelected() {
    BulkRequest r = Fixtures.request(List.of(), List.of(P));
    dev.fusioncancel.name.LocationName p = dev.fusioncancel.name.LocationName.parse(P);
    Instant ref = Instant.parse("2026-11-26T11:00:00Z");
    assertFalse(
        Selector.matches(
            r,
            InMemoryOperationsApi.running(
                op(P, "new"), "update", Fixtures.TARGET, ref.plusSeconds(1)),
            ref,
            p));
    assertTrue(
        Selector.matches(
            r,
            InMemoryOperationsApi.running(op(P, "old"), "update", Fixtures.TARGET, ref),
            ref,
            p));
  }

  @Test
  void matches_olderThan_isMeasuredFromTheReferenceTime() {
    BulkRequest r = Fixtures.parse("{\"parents\":[\"" + P + "\"],\"olderThan\":\"6h\"}");
    dev.fusioncancel.name.LocationName p = dev.fusioncancel.name.LocationName.parse(P);
    Instant ref = Instant.parse("2026-11-26T11:00:00Z");
    dev.fusioncancel.client.Operation fiveHoursBeforeRef =
        InMemoryOperationsApi.running(
            op(P, "x"), "update", Fixtures.TARGET, ref.minus(Duration.ofHours(5)));
    assertFalse(Selector.matches(r, fiveHoursBeforeRef, ref, p));
    assertTrue(Selector.matches(r, fiveHoursBeforeRef, ref.plus(Duration.ofHours(2)), p));
  }

  @Test
  void select_aParentTheDeadlineCutsShort_isListedAgainByTheFollowUp_andNothingIsSelected()
      throws Exception {
    Selection s =
        new Selector(Fixtures.config(), api.client(time), time, 2)
            .select(
                Fixtures.parse(
                    "{\"parents\":[\"" + P + "\"],\"operations\":[\"" + op(Q, "x") + "\"]}"),
                time.instant(),
                time.nanoTime(),
                pool);
    assertEquals(List.of(dev.fusioncancel.name.LocationName.parse(P)), s.relist());
    assertEquals(List.of(op(Q, "x")), s.deferredNames(), "explicit names wait for the selection");
    assertEquals(List.of(), s.targets());
    assertTrue(s.parentErrors().isEmpty(), "out of time is not an error: " + s.parentErrors());
  }

  @Test
  void select_aParentTheApiRefusesForGood_isAParentError() throws Exception {
    dev.fusioncancel.client.OperationsTransport denying =
        new dev.fusioncancel.client.OperationsTransport() {
          @Override
          public void cancel(dev.fusioncancel.name.OperationName n, Duration t) {}

          @Override
          public dev.fusioncancel.client.Operation get(
              dev.fusioncancel.name.OperationName n, Duration t) {
            return null;
          }

          @Override
          public dev.fusioncancel.client.OperationPage list(
              dev.fusioncancel.name.LocationName parent, int size, String token, Duration t) {
            throw new dev.fusioncancel.client.ApiException(
                new dev.fusioncancel.rpc.RpcStatus(
                    dev.fusioncancel.rpc.Code.PERMISSION_DENIED, "denied"),
                403,
                null,
                1,
                null);
          }
        };
    Selection s =
        new Selector(
                Fixtures.config(),
                dev.fusioncancel.client.TestClients.retrying(denying, time),
                time,
                2)
            .select(
                Fixtures.parse("{\"parents\":[\"" + P + "\"]}"),
                time.instant(),
                Long.MAX_VALUE,
                pool);
    assertTrue(s.parentErrors().containsKey(P), s.toString());
    assertEquals(List.of(), s.relist());
  }
}
