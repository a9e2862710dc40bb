package dev.fusioncancel.bulk;

import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.engine.CancelEngine;
import dev.fusioncancel.engine.Workers;
import dev.fusioncancel.name.InvalidNameException;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.outcome.CancelAttempt;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.outcome.Verdict;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.time.Durations;
import dev.fusioncancel.time.Sleeper;
import dev.fusioncancel.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one bulk request inside the function's deadline: select, then hand the operations to the
 * {@link CancelEngine} (the same engine the HTTP function uses), and report what is left for a
 * follow-up.
 *
 * <p>Time, all on the monotonic {@link Ticker} from the start of the run: the hard stop is {@code
 * deadline - safetyMargin} (no request starts or runs past it; the margin is for publishing); the
 * check wait is {@code min(wait, usable / 3)}; cancels stop starting at {@code hardStop - wait -
 * checkReserve} and listing ends there too; cancel calls end half way into the check reserve.
 */
public final class BulkRunner {
  private final Config config;
  private final OperationsApi api;
  private final Clock clock;
  private final Workers workers;
  private final BulkSettings settings;
  private final CancelEngine engine;
  private final PoolSizing latencies = new PoolSizing();
  private final int maxWorkers = PoolSizing.memoryBound();

  /**
   * @param api the retried, budgeted client shared by every run of the instance
   * @param workers where calls run (threads in production, the simulation's scheduler in tests)
   */
  public BulkRunner(
      Config config,
      OperationsApi api,
      Clock clock,
      Ticker ticker,
      Sleeper sleeper,
      Workers workers,
      BulkSettings settings) {
    this.config = config;
    this.clock = clock;
    this.workers = workers;
    this.settings = settings;
    OperationsApi timed = new TimedOperationsApi(api, ticker, latencies);
    this.api = timed;
    this.engine =
        new CancelEngine(timed, clock, ticker, sleeper, settings.poll(), settings.pageSize());
  }

  /**
   * Runs a request.
   *
   * <p>Listed operations that finished at or after {@code reference} after a cancel was requested
   * (typically cancelled by an earlier delivery of this same message) are reported from their
   * listed state, with no call at all: a redelivery completes the run without cancelling anything
   * twice.
   *
   * @param reference when the request was published; see {@link Selector}
   * @param startNanos when the function's deadline started counting (a {@link Ticker} reading)
   * @throws InvalidRequestException when a parent is outside {@code ALLOWED_PARENTS} (no call made)
   */
  public BulkReport run(BulkRequest request, String requestId, Instant reference, long startNanos)
      throws InvalidRequestException, InterruptedException {
    Instant startedAt = clock.instant();
    Duration usable = settings.deadline().minus(settings.safetyMargin());
    long hardStop = startNanos + usable.toNanos();
    Duration checkWait = Durations.min(config.capWait(request.waitFor()), usable.dividedBy(3));
    long cancelCutoff = hardStop - checkWait.toNanos() - settings.checkReserve().toNanos();
    long cancelsEnd = cancelCutoff + settings.checkReserve().toNanos() / 2;

    Selector selector = new Selector(config, api, clock, settings.pageSize());
    selector.checkAllowed(request);
    int poolSize =
        settings.workersFor(
            config.requestsPerMinute(), locations(request), latencies.meanLatency(), maxWorkers);
    try (Workers.Pool pool = workers.open(poolSize)) {
      // Wildcard parents become locations first; nothing is listed after the cancel cutoff.
      LocationExpansion.Scope scope =
          new LocationExpansion(config, api, clock, settings.pageSize())
              .expand(request, cancelCutoff, pool);
      Selection selection =
          selector.select(
              request,
              scope.locations(),
              !scope.unfinished().isEmpty(),
              reference,
              cancelCutoff,
              pool);
      List<CancelResult> results = new ArrayList<>(selection.refused());
      List<CancelEngine.Target> targets = new ArrayList<>();
      Set<String> selected = new HashSet<>();
      for (Selection.Target t : selection.targets()) {
        selected.add(t.name().toString());
        if (request.dryRun() && (t.listed() == null || !t.listed().done())) {
          results.add(dryRun(t));
        } else {
          targets.add(new CancelEngine.Target(t.name(), t.listed(), null));
        }
      }
      for (Map.Entry<String, Code> c : checks(request).entrySet()) {
        OperationName name = parseOrNull(c.getKey());
        if (name == null || !config.allows(name.parent()) || !selected.add(name.toString())) {
          continue; // never call for a name the rules refuse; the first part reported it
        }
        targets.add(new CancelEngine.Target(name, null, cancelAttempt(c.getValue())));
      }
      CancelEngine.Report report =
          engine.run(
              targets,
              new CancelEngine.Deadlines(cancelCutoff, cancelsEnd, checkWait, hardStop),
              true,
              selection.listPages(),
              pool);
      results.addAll(report.results());
      List<String> remaining = new ArrayList<>(selection.deferredNames());
      report.notCancelled().forEach(n -> remaining.add(n.toString()));
      Map<String, Code> toCheck = new LinkedHashMap<>();
      for (CancelEngine.Unchecked u : report.notChecked()) {
        toCheck.put(u.name().toString(), u.cancel().status());
      }
      Map<String, String> parentErrors = new LinkedHashMap<>(scope.errors());
      parentErrors.putAll(selection.parentErrors());
      // Selecting again lists every wildcard again too (the follow-up selects once, from all).
      LocationExpansion.Scope reported =
          selection.selectAgain()
              ? new LocationExpansion.Scope(
                  scope.locations(), scope.notAllowed(), request.allLocationsOf(), scope.errors())
              : scope;
      return new BulkReport(
          requestId,
          request,
          startedAt,
          clock.instant(),
          results,
          remaining,
          toCheck,
          selection.relist(),
          selection.skippedByLimit(),
          parentErrors,
          reported);
    }
  }

  /** The checks a follow-up carries (none for an original request). */
  private static Map<String, Code> checks(BulkRequest request) {
    return request.continuation().map(BulkRequest.Continuation::check).orElse(Map.of());
  }

  /** What an earlier part's cancel answered, as the engine takes it. */
  private static CancelAttempt cancelAttempt(Code code) {
    if (code == Code.OK) {
      return CancelAttempt.ACCEPTED;
    }
    return CancelAttempt.failed(
        new dev.fusioncancel.client.ApiException(
            new dev.fusioncancel.rpc.RpcStatus(code, "answered to an earlier part of this request"),
            code.httpStatus(),
            null,
            1,
            null));
  }

  private static OperationName parseOrNull(String name) {
    try {
      return OperationName.parse(name);
    } catch (InvalidNameException e) {
      return null;
    }
  }

  private CancelResult dryRun(Selection.Target t) {
    return new CancelResult(
        t.name().toString(),
        null,
        t.listed(),
        null,
        new Verdict(Outcome.DRY_RUN, "dry run: would have sent cancel; no call was made"),
        clock.instant());
  }

  /**
   * How many distinct locations a request names (explicit names and parents; invalid ones skipped).
   */
  static int locations(BulkRequest request) {
    Set<LocationName> seen = new HashSet<>(request.parents());
    // A wildcard's locations are not known yet: count each wildcard project once.
    for (dev.fusioncancel.name.ProjectName p : request.allLocationsOf()) {
      seen.add(p.locationsListBudgetKey());
    }
    for (String n : request.operations()) {
      OperationName name = parseOrNull(n);
      if (name != null) {
        seen.add(name.parent());
      }
    }
    for (String n : checks(request).keySet()) {
      OperationName name = parseOrNull(n);
      if (name != null) {
        seen.add(name.parent());
      }
    }
    return Math.max(1, seen.size());
  }
}
