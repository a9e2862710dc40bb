package dev.fusioncancel.bulk;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.client.OperationListing;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.outcome.CancelAttempt;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.outcome.OutcomeClassifier;
import dev.fusioncancel.outcome.Verdict;
import dev.fusioncancel.time.Durations;
import dev.fusioncancel.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one bulk request: select, cancel with bounded concurrency under the per-location budget,
 * then confirm every outcome with as few calls as possible, all inside the function's deadline.
 *
 * <p>Confirming: per location and round, one {@code operations.list} (every page) is used when it
 * costs fewer calls than a GET per pending operation, else GETs. Every verdict comes from {@link
 * OutcomeClassifier}, so the HTTP and bulk functions agree.
 *
 * <p>Time: cancels stop starting at {@code deadline - safetyMargin - checkReserve - check wait};
 * names not started by then are returned as {@link BulkReport#remaining()}.
 */
public final class BulkRunner {
  private final Config config;
  private final OperationsApi raw;
  private final RateLimiters limiters;
  private final Clock clock;
  private final Sleeper sleeper;
  private final BulkSettings settings;
  private final Map<LocationName, Integer> knownPages = new ConcurrentHashMap<>();
  private final PoolSizing latencies = new PoolSizing();
  private final int maxWorkers = PoolSizing.memoryBound();

  /**
   * @param api the raw client; every call is made through a per-location {@link
   *     dev.fusioncancel.budget.Budget}
   * @param limiters shared by every run of this instance (the quota is per user, not per run)
   */
  public BulkRunner(
      Config config,
      OperationsApi api,
      RateLimiters limiters,
      Clock clock,
      Sleeper sleeper,
      BulkSettings settings) {
    this.config = config;
    this.raw = api;
    this.limiters = limiters;
    this.clock = clock;
    this.sleeper = sleeper;
    this.settings = settings;
  }

  /** A runner with fresh limiters at the configured {@code REQUESTS_PER_MINUTE}. */
  public BulkRunner(
      Config config, OperationsApi api, Clock clock, Sleeper sleeper, BulkSettings settings) {
    this(
        config,
        api,
        new RateLimiters(config.requestsPerMinute(), clock, sleeper),
        clock,
        sleeper,
        settings);
  }

  /**
   * Runs a request whose reference time is now (see {@link #run(BulkRequest, String, Instant)}).
   */
  public BulkReport run(BulkRequest request, String requestId)
      throws InvalidRequestException, InterruptedException {
    return run(request, requestId, clock.instant());
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
   * @throws InvalidRequestException when a parent is outside {@code ALLOWED_PARENTS} (no call made)
   */
  public BulkReport run(BulkRequest request, String requestId, Instant reference)
      throws InvalidRequestException, InterruptedException {
    Instant startedAt = clock.instant();
    Instant hardStop = startedAt.plus(settings.deadline()).minus(settings.safetyMargin());
    Duration usable = settings.deadline().minus(settings.safetyMargin());
    Duration checkWait = Durations.min(config.capWait(request.waitFor()), usable.dividedBy(3));
    Instant cancelCutoff = hardStop.minus(checkWait).minus(settings.checkReserve());

    RateLimitedOperationsApi api = new RateLimitedOperationsApi(raw, limiters, hardStop, latencies);
    Selector selector = new Selector(config, api, clock, settings.pageSize());
    selector.checkAllowed(request);
    // Wildcard parents become locations first; no location is listed after the cancel cutoff.
    LocationExpansion.Scope scope =
        new LocationExpansion(
                config,
                new RateLimitedOperationsApi(raw, limiters, cancelCutoff, latencies),
                clock,
                settings.pageSize())
            .expand(request, cancelCutoff);
    int locations = locations(request, scope);
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            workers(locations),
            workers(locations),
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            daemonThreads());
    try {
      Selection selection = selector.select(request, scope.locations(), reference, pool);
      knownPages.putAll(selection.listPages());
      List<CancelResult> results = new ArrayList<>(selection.refused());
      List<String> remaining = new ArrayList<>();
      List<Selection.Target> toCancel = new ArrayList<>();
      for (Selection.Target t : selection.targets()) {
        if (t.listed() != null && t.listed().done()) {
          results.add(alreadyFinished(t, reference));
        } else {
          toCancel.add(t);
        }
      }
      if (request.dryRun()) {
        for (Selection.Target t : toCancel) {
          results.add(dryRun(t));
        }
      } else {
        // Unanswered cancels are abandoned half way into the check reserve, so checks keep time.
        Instant cancelsAnsweredBy = cancelCutoff.plus(settings.checkReserve().dividedBy(2));
        Map<OperationName, State> states =
            cancelAll(api, toCancel, cancelCutoff, cancelsAnsweredBy, pool, locations);
        for (Selection.Target t : toCancel) {
          if (!states.containsKey(t.name())) {
            remaining.add(t.name().toString());
          }
        }
        Instant checkEnd = Durations.min(clock.instant().plus(checkWait), hardStop);
        checkAll(api, states, checkEnd, hardStop, pool);
        for (State s : states.values()) {
          results.add(s.result());
        }
      }
      Map<String, String> parentErrors = new LinkedHashMap<>(scope.errors());
      parentErrors.putAll(selection.parentErrors());
      return new BulkReport(
          requestId,
          request,
          startedAt,
          clock.instant(),
          results,
          remaining,
          selection.skippedByLimit(),
          parentErrors,
          scope);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A listed operation already done when selected (it ended at or after the reference time with a
   * cancel requested): its outcome comes from the listed state, no cancel is sent and no
   * cancelStatus is reported.
   */
  private CancelResult alreadyFinished(Selection.Target t, Instant reference) {
    Operation op = t.listed();
    Verdict v = OutcomeClassifier.classify(CancelAttempt.ACCEPTED, op, null);
    String detail =
        v.detail()
            + "; found already finished (ended "
            + op.endTime()
            + ", after the request was published at "
            + reference
            + ", with a cancel requested), e.g. on a redelivery: no cancel was sent";
    return new CancelResult(
        t.name().toString(), null, op, null, new Verdict(v.outcome(), detail), clock.instant());
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
   * Sends the cancels in order until the cutoff; the map holds the ones that were answered. A
   * cancel still unanswered at {@code answeredBy} (a slow upstream) is abandoned and left to the
   * follow-up, which sends it again: a harmless repeat, where waiting would overrun the deadline.
   */
  private Map<OperationName, State> cancelAll(
      RateLimitedOperationsApi api,
      List<Selection.Target> targets,
      Instant cutoff,
      Instant answeredBy,
      ThreadPoolExecutor pool,
      int locations)
      throws InterruptedException {
    resize(pool, locations);
    Map<OperationName, Future<CancelAttempt>> sent = new LinkedHashMap<>();
    for (Selection.Target t : targets) {
      sent.put(
          t.name(),
          pool.submit(
              () -> {
                try {
                  return sendCancel(api, t.name(), cutoff);
                } finally {
                  resize(pool, locations); // the pool follows the latency observed so far
                }
              }));
    }
    Map<OperationName, State> states = new LinkedHashMap<>();
    for (Map.Entry<OperationName, Future<CancelAttempt>> e : sent.entrySet()) {
      CancelAttempt attempt = finishedBy(e.getValue(), answeredBy) ? await(e.getValue()) : null;
      if (attempt != null) {
        states.put(e.getKey(), new State(e.getKey(), attempt));
      }
    }
    return states;
  }

  /** The cancel answer, or null when the cutoff came before a permit (nothing was sent). */
  private CancelAttempt sendCancel(
      RateLimitedOperationsApi api, OperationName name, Instant cutoff) {
    if (!clock.instant().isBefore(cutoff)) {
      return null;
    }
    try {
      return api.cancelIfBefore(name, cutoff) ? CancelAttempt.ACCEPTED : null;
    } catch (ApiException e) {
      return CancelAttempt.failed(e);
    }
  }

  /**
   * Checks the cancelled operations in rounds until all are final or {@code end} is reached; no
   * check is awaited past {@code hardStop}.
   */
  private void checkAll(
      OperationsApi api,
      Map<OperationName, State> states,
      Instant end,
      Instant hardStop,
      ExecutorService pool)
      throws InterruptedException {
    Duration delay = settings.poll().initialDelay();
    while (true) {
      Map<LocationName, List<State>> pending = new LinkedHashMap<>();
      for (State s : states.values()) {
        if (s.needsCheck()) {
          pending.computeIfAbsent(s.name.parent(), l -> new ArrayList<>()).add(s);
        }
      }
      if (pending.isEmpty()) {
        return;
      }
      checkRound(api, pending, hardStop, pool);
      Instant now = clock.instant();
      if (!now.isBefore(end) || states.values().stream().noneMatch(State::needsCheck)) {
        return;
      }
      sleeper.sleep(Durations.min(delay, Duration.between(now, end)));
      delay = settings.poll().next(delay);
    }
  }

  private void checkRound(
      OperationsApi api,
      Map<LocationName, List<State>> pending,
      Instant hardStop,
      ExecutorService pool)
      throws InterruptedException {
    Map<LocationName, Future<List<State>>> lists = new LinkedHashMap<>();
    List<State> toGet = new ArrayList<>();
    for (Map.Entry<LocationName, List<State>> e : pending.entrySet()) {
      LocationName location = e.getKey();
      List<State> states = e.getValue();
      Integer pages = knownPages.get(location);
      int n = states.size();
      if (n >= 2 && (pages == null || pages <= n)) {
        int budget = pages == null ? n - 1 : n;
        lists.put(location, pool.submit(() -> checkByListing(api, location, states, budget)));
      } else {
        toGet.addAll(states);
      }
    }
    for (Map.Entry<LocationName, Future<List<State>>> e : lists.entrySet()) {
      if (finishedBy(e.getValue(), hardStop)) {
        toGet.addAll(await(e.getValue()));
      } else {
        pending.get(e.getKey()).forEach(State::abandon);
      }
    }
    Map<State, Future<?>> gets = new LinkedHashMap<>();
    for (State s : toGet) {
      gets.put(s, pool.submit(() -> s.fetch(api)));
    }
    for (Map.Entry<State, Future<?>> e : gets.entrySet()) {
      if (finishedBy(e.getValue(), hardStop)) {
        await(e.getValue());
      } else {
        e.getKey().abandon();
      }
    }
  }

  /** Lists a location within a page budget; returns the states the listing did not settle. */
  private List<State> checkByListing(
      OperationsApi api, LocationName location, List<State> states, int budget) {
    OperationListing listing;
    try {
      listing = OperationListing.read(api, location, settings.pageSize(), budget);
    } catch (ApiException e) {
      return states; // fall back to one GET each
    }
    knownPages.put(location, listing.complete() ? listing.pages() : listing.pages() + 1);
    Map<String, Operation> byName = new HashMap<>();
    for (Operation op : listing.operations()) {
      if (op.name() != null) {
        byName.put(op.name(), op);
      }
    }
    Instant now = clock.instant();
    List<State> unsettled = new ArrayList<>();
    for (State s : states) {
      Operation op = byName.get(s.name.toString());
      if (op == null) {
        // Not on the list (or not on the pages read): fetch it on its own, never guess.
        unsettled.add(s);
      } else {
        s.seen(op, now);
      }
    }
    return unsettled;
  }

  /**
   * Whether the task finished by {@code until}; if not, it is cancelled (interrupted), because a
   * call that outlasts the run's hard stop (a slow upstream: one call may take the client's whole
   * 60 s budget) would overrun the function's deadline and lose every event of the run.
   */
  private boolean finishedBy(Future<?> f, Instant until) throws InterruptedException {
    if (f.isDone()) {
      return true;
    }
    long millis = Math.max(Duration.between(clock.instant(), until).toMillis(), 0);
    try {
      f.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      return false;
    } catch (ExecutionException | CancellationException e) {
      // reported by await
    }
    return true;
  }

  private static <T> T await(Future<T> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** The pool size for the latency observed so far (Little's law, see {@link PoolSizing}). */
  private int workers(int locations) {
    return settings.workersFor(
        config.requestsPerMinute(), locations, latencies.meanLatency(), maxWorkers);
  }

  private synchronized void resize(ThreadPoolExecutor pool, int locations) {
    int n = workers(locations);
    if (n > pool.getMaximumPoolSize()) {
      pool.setMaximumPoolSize(n);
      pool.setCorePoolSize(n);
    } else if (n < pool.getCorePoolSize()) {
      pool.setCorePoolSize(n);
      pool.setMaximumPoolSize(n);
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "bulk-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** What is known about one cancelled operation; touched by one worker at a time. */
  private final class State {
    private final OperationName name;
    private final CancelAttempt attempt;
    private volatile Operation operation;
    private volatile ApiException checkError;
    private volatile int checks;
    private volatile Instant checkedAt;
    private volatile boolean outOfTime;

    State(OperationName name, CancelAttempt attempt) {
      this.name = name;
      this.attempt = attempt;
      this.checkedAt = clock.instant();
    }

    /**
     * Every answer is checked once (a refused cancel may still have finished the operation);
     * accepted ones are checked until done.
     */
    boolean needsCheck() {
      if (!attempt.worthChecking() || checkError != null || outOfTime) {
        return false;
      }
      if (checks == 0) {
        return true;
      }
      return attempt.accepted() && operation != null && !operation.done();
    }

    /** Stops checking: the hard stop came while a check was still waiting for an answer. */
    void abandon() {
      outOfTime = true;
    }

    void seen(Operation op, Instant at) {
      if (outOfTime) {
        return;
      }
      operation = op;
      checks++;
      checkedAt = at;
    }

    void fetch(OperationsApi api) {
      try {
        Operation op = api.get(name);
        seen(op, clock.instant());
      } catch (ApiException e) {
        if (outOfTime) {
          return;
        }
        if (RateLimitedOperationsApi.outOfTime(e) && operation != null) {
          outOfTime = true; // keep what the last check saw: CANCELLING, not ERROR
          return;
        }
        checkError = e;
        checks++;
        checkedAt = clock.instant();
      }
    }

    CancelResult result() {
      Verdict v = OutcomeClassifier.classify(attempt, operation, checkError);
      return new CancelResult(name.toString(), attempt, operation, checkError, v, checkedAt);
    }
  }

  /**
   * How many distinct locations a request names (explicit names and parents; invalid ones skipped).
   */
  static int locations(BulkRequest request) {
    return locations(request, LocationExpansion.Scope.of(request.parents()));
  }

  /** How many distinct locations a request comes to once its wildcards are expanded. */
  static int locations(BulkRequest request, LocationExpansion.Scope scope) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (dev.fusioncancel.name.LocationName p : scope.locations()) {
      seen.add(p.toString());
    }
    for (String n : request.operations()) {
      try {
        seen.add(dev.fusioncancel.name.OperationName.parse(n).parent().toString());
      } catch (dev.fusioncancel.name.InvalidNameException invalid) {
        // reported as INVALID_NAME; costs no call
      }
    }
    return Math.max(1, seen.size());
  }
}
