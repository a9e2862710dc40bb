package dev.fusioncancel.bulk;

import static dev.fusioncancel.bulk.Fixtures.op;
import static dev.fusioncancel.bulk.Fixtures.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.InMemoryOperationsApi;
import dev.fusioncancel.client.LocationPage;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.client.OperationPage;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.name.ProjectName;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.time.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Wildcard parents {@code projects/P/locations/-}: expanded with {@code projects.locations.list},
 * judged location by location against {@code ALLOWED_PARENTS}, paced, bounded by the deadline.
 */
class LocationExpansionTest {
  private static final String US = "projects/proj-a/locations/us-central1";
  private static final String EU = "projects/proj-a/locations/europe-west1";
  private static final String ASIA = "projects/proj-a/locations/asia-east1";
  private static final String ALL = "projects/proj-a/locations/-";
  private static final ProjectName PROJ_A = new ProjectName("proj-a");

  private final FakeTime time = new FakeTime();
  private final Instant now = time.instant();
  private final InMemoryOperationsApi api = new InMemoryOperationsApi();

  /** Two running operations in each of three locations of proj-a, one in proj-b. */
  private void seedThreeLocations() {
    for (String parent : List.of(US, EU, ASIA)) {
      running(api, op(parent, "a"), "update", now, Duration.ofHours(8));
      running(api, op(parent, "b"), "restart", now, Duration.ofHours(8));
    }
    running(api, op("projects/proj-b/locations/us-central1", "x"), "update", now, Duration.ZERO);
  }

  private BulkRunner runner(String allowed) {
    return Fixtures.runner(
        Fixtures.config(allowed, 600_000), api, time, BulkSettings.DEFAULT.withWorkers(1));
  }

  /** The locations whose operations were listed (selection, then checks by listing). */
  private List<String> listedLocations() {
    return api.calls().stream()
        .filter(c -> c.startsWith("list "))
        .map(c -> c.split(" ")[1])
        .distinct()
        .sorted()
        .toList();
  }

  @ParameterizedTest(name = "ALLOWED_PARENTS={0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // ALLOWED_PARENTS | locations whose operations are listed | left out as not allowed
        "'' | asia-east1;europe-west1;us-central1 | ''",
        "projects/proj-a/locations/* | asia-east1;europe-west1;us-central1 | ''",
        "projects/*/locations/* | asia-east1;europe-west1;us-central1 | ''",
        "projects/proj-a/locations/us-central1,projects/proj-a/locations/europe-west1"
            + " | europe-west1;us-central1 | asia-east1",
        "projects/*/locations/us-central1 | us-central1 | asia-east1;europe-west1",
        "projects/proj-a/locations/mars-north1 | '' | asia-east1;europe-west1;us-central1",
      })
  void run_wildcard_listsEveryAllowedLocationOnce_andNeverCallsTheOthers(
      String allowed, String listed, String notAllowed) throws Exception {
    seedThreeLocations();

    BulkReport report =
        runner(allowed)
            .run(
                Fixtures.parse("{\"parents\":[\"" + ALL + "\"]}"),
                "r",
                time.instant(),
                time.nanoTime());

    List<String> expectedListed = ids(listed);
    assertEquals(1, api.count("listLocations"), api.calls().toString());
    assertEquals(
        expectedListed.stream().map(l -> "projects/proj-a/locations/" + l).sorted().toList(),
        listedLocations());
    assertTrue(
        api.calls().stream().noneMatch(c -> c.contains("/locations/- ") || c.contains("/-/")),
        "nothing is ever called on locations/-: " + api.calls());
    for (String l : ids(notAllowed)) {
      assertTrue(
          api.calls().stream().noneMatch(c -> c.contains("/locations/" + l)),
          "no call for the left-out " + l + ": " + api.calls());
    }
    assertEquals(
        ids(notAllowed).stream().map(l -> "projects/proj-a/locations/" + l).toList(),
        report.scope().notAllowed().stream().map(LocationName::toString).toList());
    assertEquals(2 * expectedListed.size(), report.results().size());
    assertTrue(report.results().stream().allMatch(r -> r.outcome() == Outcome.CANCELLED));
  }

  @ParameterizedTest(name = "ALLOWED_PARENTS={0}")
  @CsvSource({
    "projects/proj-b/locations/*",
    "projects/proj-b/locations/us-central1",
    "'projects/proj-b/locations/*,projects/proj-c/locations/us-east1'",
  })
  void run_wildcardOfAProjectNoPatternCovers_isAnInvalidRequest_withoutAnyCall(String allowed) {
    seedThreeLocations();
    InvalidRequestException e =
        assertThrows(
            InvalidRequestException.class,
            () ->
                runner(allowed)
                    .run(
                        Fixtures.parse("{\"parents\":[\"" + ALL + "\"]}"),
                        "r",
                        time.instant(),
                        time.nanoTime()));
    assertTrue(e.getMessage().contains(ALL), e.getMessage());
    assertEquals(List.of(), api.calls());
  }

  @Test
  void run_wildcardAndANamedLocationOfIt_areOneScope_eachLocationSelectedOnce() throws Exception {
    seedThreeLocations();
    BulkReport report =
        runner("")
            .run(
                Fixtures.parse("{\"parents\":[\"" + EU + "\",\"" + ALL + "\"]}"),
                "r",
                time.instant(),
                time.nanoTime());
    assertEquals(List.of(ASIA, EU, US), listedLocations());
    assertEquals(6, report.results().size());
    assertEquals(6, names(report).stream().distinct().count());
    assertEquals(
        List.of(EU, ASIA, US),
        report.scope().locations().stream().map(LocationName::toString).toList(),
        "named first, then found ones");
  }

  @Test
  void run_dryRunWithWildcard_showsTheWholeSelectionAcrossLocations_andCancelsNothing()
      throws Exception {
    seedThreeLocations();
    BulkReport report =
        runner("")
            .run(
                Fixtures.parse(
                    "{\"parents\":[\"" + ALL + "\"],\"verbs\":[\"update\"],\"dryRun\":true}"),
                "r",
                time.instant(),
                time.nanoTime());

    assertEquals(
        List.of(op(ASIA, "a"), op(EU, "a"), op(US, "a")),
        report.results().stream().map(CancelResult::name).sorted().toList());
    assertTrue(report.results().stream().allMatch(r -> r.outcome() == Outcome.DRY_RUN));
    assertEquals(0, api.count("cancel"));
  }

  @Test
  void run_locationsListDenied_isAParentError_andNamedParentsStillRun() throws Exception {
    seedThreeLocations();
    api.listLocationsFails("proj-a", Code.PERMISSION_DENIED);
    String otherProject = "projects/proj-b/locations/us-central1";

    BulkReport report =
        runner("")
            .run(
                Fixtures.parse("{\"parents\":[\"" + ALL + "\",\"" + otherProject + "\"]}"),
                "r",
                time.instant(),
                time.nanoTime());

    assertTrue(report.parentErrors().get(ALL).contains("PERMISSION_DENIED"), report.toString());
    assertEquals(List.of(op(otherProject, "x")), names(report));
    assertEquals(List.of(), report.scope().unfinished(), "an error, not a lack of time");
  }

  @Test
  void run_noBudgetForTheListingBeforeTheCutoff_leavesTheWildcardToTheFollowUp() throws Exception {
    seedThreeLocations();
    // One request per minute: the listing's only permit is taken, and the next comes after the
    // cancel cutoff of a 60 s run.
    dev.fusioncancel.budget.Budgets limiters = new dev.fusioncancel.budget.Budgets(1, time, time);
    assertTrue(limiters.apply(PROJ_A.locationsListBudgetKey()).acquire(time.nanoTime()));
    BulkReport report =
        Fixtures.runner(
                Fixtures.config("", 1),
                api,
                limiters,
                time,
                BulkSettings.DEFAULT.withWorkers(1).withDeadline(Duration.ofSeconds(60)))
            .run(
                Fixtures.parse("{\"parents\":[\"" + ALL + "\"]}"),
                "r",
                time.instant(),
                time.nanoTime());

    assertEquals(List.of(PROJ_A), report.scope().unfinished());
    assertEquals(List.of(), report.results());
    assertEquals(List.of(), api.calls(), "not even the listing was sent");
    assertEquals(Map.of(), report.parentErrors());
  }

  @Test
  void expand_paging_readsEveryPage_onTheProjectsOwnBudget() throws Exception {
    seedThreeLocations();
    dev.fusioncancel.budget.Budgets limiters = new dev.fusioncancel.budget.Budgets(60, time, time);
    OperationsApi paced =
        dev.fusioncancel.client.TestClients.retrying(
            api, dev.fusioncancel.client.RetrySettings.DEFAULT, limiters, time);
    LocationExpansion.Scope scope =
        new LocationExpansion(Fixtures.config(), paced, time, 1)
            .expand(
                Fixtures.parse("{\"parents\":[\"" + ALL + "\"]}"),
                time.nanoTime() + Duration.ofSeconds(300).toNanos(),
                dev.fusioncancel.engine.Workers.inline().open(1));

    assertEquals(List.of(ASIA, EU, US), scope.locations().stream().map(Object::toString).toList());
    assertEquals(3, api.count("listLocations"), "one call per page of one location");
    assertEquals(
        List.of(Duration.ofSeconds(1)),
        time.sleeps(),
        "page 2 went with the burst of two, page 3 waited one interval at 60/min");
    assertEquals(
        60.0,
        limiters.apply(LocationName.parse(US)).requestsPerMinute(),
        "the regions' budgets are untouched");
  }

  @Test
  void expand_pageTokenComingBackTwice_isAnError_notAnEndlessLoop() throws Exception {
    OperationsApi looping =
        dev.fusioncancel.client.TestClients.retrying(
            new Delegating(api) {
              @Override
              public LocationPage listLocations(
                  ProjectName p, int size, String token, Duration timeout) {
                return new LocationPage(List.of(p.location("us-central1")), "same");
              }
            },
            time);
    LocationExpansion.Scope scope =
        new LocationExpansion(Fixtures.config(), looping, time, 10)
            .expand(
                Fixtures.parse("{\"parents\":[\"" + ALL + "\"]}"),
                time.nanoTime() + Duration.ofSeconds(300).toNanos(),
                dev.fusioncancel.engine.Workers.inline().open(1));
    assertTrue(scope.errors().get(ALL).contains("twice"), scope.toString());
    assertEquals(List.of(), scope.locations());
  }

  @Test
  void expand_listingStillRunningAtTheCutoff_endsThereAndIsUnfinished() throws Exception {
    OperationsApi hanging =
        dev.fusioncancel.client.TestClients.retrying(
            new Delegating(api) {
              @Override
              public LocationPage listLocations(
                  ProjectName p, int size, String token, Duration timeout) {
                time.advance(timeout); // no answer: the request gives up when its time is up
                throw ApiException.transport(Code.DEADLINE_EXCEEDED, "no answer", null);
              }
            },
            time);
    long cutoff = time.nanoTime() + Duration.ofMillis(200).toNanos();
    LocationExpansion.Scope scope =
        new LocationExpansion(Fixtures.config(), hanging, time, 10)
            .expand(
                Fixtures.parse("{\"parents\":[\"" + ALL + "\"]}"),
                cutoff,
                dev.fusioncancel.engine.Workers.inline().open(1));

    assertEquals(List.of(PROJ_A), scope.unfinished());
    assertTrue(time.nanoTime() <= cutoff, "returned at the cutoff");
  }

  private static List<String> ids(String s) {
    return s.isEmpty() ? List.of() : Arrays.asList(s.split(";"));
  }

  private static List<String> names(BulkReport report) {
    return report.results().stream().map(CancelResult::name).sorted().collect(Collectors.toList());
  }

  /** Passes every call to an {@link InMemoryOperationsApi}; tests override one method. */
  private static class Delegating implements dev.fusioncancel.client.OperationsTransport {
    private final InMemoryOperationsApi api;

    Delegating(InMemoryOperationsApi api) {
      this.api = api;
    }

    @Override
    public void cancel(OperationName name, Duration timeout) {
      api.cancel(name, timeout);
    }

    @Override
    public Operation get(OperationName name, Duration timeout) {
      return api.get(name, timeout);
    }

    @Override
    public OperationPage list(
        LocationName parent, int pageSize, String pageToken, Duration timeout) {
      return api.list(parent, pageSize, pageToken, timeout);
    }
  }
}
