package dev.fusioncancel.engine;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.client.OperationListing;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.outcome.CancelAttempt;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.PollSettings;
import dev.fusioncancel.outcome.Verdict;
import dev.fusioncancel.time.Sleeper;
import dev.fusioncancel.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one cancel-and-check engine of both functions: given operations, deadlines and the workers of
 * a run, it cancels each (unless a listing already shows it done, or an earlier part already sent
 * the cancel), checks each with a GET or a shared list page, and gives exactly one of three things
 * per operation: a final {@link CancelResult} decided by {@link AnswerTable}, "not yet cancelled"
 * or "not yet checked" (the last two go on in a follow-up; they are never an ERROR).
 *
 * <p>Checking: per location and round, one {@code operations.list} when its known page count is at
 * most the number of pending operations (an unknown location is listed with a budget of n-1 pages),
 * else one GET each; anything the listing did not show is fetched on its own. A refused cancel is
 * checked once, an accepted one until it is done or the wait ends.
 *
 * <p>Time: every decision reads the monotonic {@link Ticker}; the wall clock only stamps {@code
 * checkedAt}. No cancel starts after {@link Deadlines#cancelCutoff}, no cancel call runs past
 * {@link Deadlines#cancelsEnd}, and no request at all starts or runs past {@link
 * Deadlines#hardStop}.
 */
public final class CancelEngine {
  private final OperationsApi api;
  private final Clock clock;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final PollSettings poll;
  private final int pageSize;

  /**
   * @param api the retried, budgeted client (see {@link
   *     dev.fusioncancel.client.RetryingOperationsApi})
   * @param pageSize the {@code pageSize} of list pages read to check operations
   */
  public CancelEngine(
      OperationsApi api,
      Clock clock,
      Ticker ticker,
      Sleeper sleeper,
      PollSettings poll,
      int pageSize) {
    this.api = api;
    this.clock = clock;
    this.ticker = ticker;
    this.sleeper = sleeper;
    this.poll = poll;
    this.pageSize = pageSize;
  }

  /**
   * One operation to handle.
   *
   * @param listed what a listing showed of it, or null (a done one is reported with no call)
   * @param cancelled what an earlier part's cancel answered, or null to send the cancel now
   */
  public record Target(OperationName name, Operation listed, CancelAttempt cancelled) {
    /** An operation to cancel and check. */
    public static Target of(OperationName name) {
      return new Target(name, null, null);
    }
  }

  /**
   * The time limits of a run, as {@link Ticker} readings.
   *
   * @param cancelCutoff no cancel starts at or after this
   * @param cancelsEnd no cancel call (with its retries) runs past this
   * @param checkWait how long to keep checking accepted cancels, from the end of the cancel phase
   * @param hardStop no request starts or runs past this
   */
  public record Deadlines(long cancelCutoff, long cancelsEnd, Duration checkWait, long hardStop) {}

  /** An operation whose cancel was answered but which could not be checked in time. */
  public record Unchecked(OperationName name, CancelAttempt cancel) {}

  /**
   * What a run gave: exactly one entry per target across the three lists.
   *
   * @param results final outcomes
   * @param notCancelled no cancel was answered in time: send it again in a follow-up
   * @param notChecked cancel answered, not yet checked (or the wait was cut short by the hard stop)
   */
  public record Report(
      List<CancelResult> results, List<OperationName> notCancelled, List<Unchecked> notChecked) {
    public Report {
      results = List.copyOf(results);
      notCancelled = List.copyOf(notCancelled);
      notChecked = List.copyOf(notChecked);
    }
  }

  /**
   * Runs the targets.
   *
   * @param check false to send the cancels only (the drop-in path, which answers what cancel said)
   * @param knownPages how many list pages each location took, if known (e.g. from the selection)
   */
  public Report run(
      List<Target> targets,
      Deadlines deadlines,
      boolean check,
      Map<LocationName, Integer> knownPages,
      Workers.Pool pool)
      throws InterruptedException {
    List<Job> jobs = new ArrayList<>(targets.size());
    List<CancelResult> results = new ArrayList<>();
    for (Target t : targets) {
      if (t.listed() != null && t.listed().done()) {
        results.add(fromListing(t));
      } else {
        jobs.add(new Job(t.name(), t.cancelled()));
      }
    }
    List<Runnable> cancels = new ArrayList<>();
    for (Job j : jobs) {
      if (j.cancel == null) {
        cancels.add(() -> j.sendCancel(deadlines));
      }
    }
    pool.runAll(cancels);
    boolean waitCut = false;
    if (check) {
      long now = ticker.nanoTime();
      long wanted = saturatedAdd(now, deadlines.checkWait().toNanos());
      waitCut = wanted > deadlines.hardStop();
      checkAll(
          jobs, Math.min(wanted, deadlines.hardStop()), deadlines.hardStop(), knownPages, pool);
    }
    List<OperationName> notCancelled = new ArrayList<>();
    List<Unchecked> notChecked = new ArrayList<>();
    for (Job j : jobs) {
      if (j.cancel == null) {
        notCancelled.add(j.name);
      } else if (!check || !j.settled(waitCut)) {
        notChecked.add(new Unchecked(j.name, j.cancel));
      } else {
        results.add(j.result());
      }
    }
    return new Report(results, notCancelled, notChecked);
  }

  /** A listed operation already done: its outcome comes from the listing, no call is made. */
  private CancelResult fromListing(Target t) {
    Verdict v = AnswerTable.decide(t.cancelled(), t.listed(), null);
    return new CancelResult(
        t.name().toString(),
        t.cancelled(),
        t.listed(),
        null,
        new Verdict(v.outcome(), v.detail() + "; found already finished: no cancel was sent"),
        clock.instant());
  }

  private void checkAll(
      List<Job> jobs,
      long waitEnd,
      long hardStop,
      Map<LocationName, Integer> knownPages,
      Workers.Pool pool)
      throws InterruptedException {
    Map<LocationName, Integer> pages = new HashMap<>(knownPages);
    Duration delay = poll.initialDelay();
    while (true) {
      Map<LocationName, List<Job>> pending = new LinkedHashMap<>();
      for (Job j : jobs) {
        if (j.needsCheck()) {
          pending.computeIfAbsent(j.name.parent(), l -> new ArrayList<>()).add(j);
        }
      }
      if (pending.isEmpty() || ticker.nanoTime() >= hardStop) {
        return;
      }
      checkRound(pending, hardStop, pages, pool);
      long now = ticker.nanoTime();
      if (now >= waitEnd || jobs.stream().noneMatch(Job::needsCheck)) {
        return;
      }
      sleeper.sleep(Duration.ofNanos(Math.min(delay.toNanos(), waitEnd - now)));
      delay = poll.next(delay);
    }
  }

  private void checkRound(
      Map<LocationName, List<Job>> pending,
      long hardStop,
      Map<LocationName, Integer> pages,
      Workers.Pool pool)
      throws InterruptedException {
    List<Runnable> lists = new ArrayList<>();
    List<Job> unsettled = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Job> toGet = new ArrayList<>();
    for (Map.Entry<LocationName, List<Job>> e : pending.entrySet()) {
      LocationName location = e.getKey();
      List<Job> group = e.getValue();
      Integer known = pages.get(location);
      int n = group.size();
      if (n >= 2 && (known == null || known <= n)) {
        int budget = known == null ? n - 1 : n;
        lists.add(
            () -> {
              Integer took = checkByListing(location, group, budget, hardStop, unsettled);
              if (took != null) {
                synchronized (pages) {
                  pages.put(location, took);
                }
              }
            });
      } else {
        toGet.addAll(group);
      }
    }
    pool.runAll(lists);
    toGet.addAll(unsettled);
    List<Runnable> gets = new ArrayList<>();
    for (Job j : toGet) {
      gets.add(() -> j.fetch(hardStop));
    }
    pool.runAll(gets);
  }

  /**
   * Lists a location within a page budget, settling the jobs it shows; the others are added to
   * {@code unsettled}. Returns the page count learned (the pages read, plus one when the budget ran
   * out first), or null when listing failed.
   */
  private Integer checkByListing(
      LocationName location, List<Job> group, int budget, long hardStop, List<Job> unsettled) {
    Set<String> names = group.stream().map(j -> j.name.toString()).collect(Collectors.toSet());
    // The state a page shows held when the page was asked for at the latest; pages are read
    // after this, so "seen running at checkedAt" stays true (a done state is final anyway).
    Instant at = clock.instant();
    OperationListing listing;
    try {
      listing =
          OperationListing.read(
              api, location, pageSize, budget, hardStop, op -> names.contains(op.name()));
    } catch (ApiException e) {
      if (e.isOutOfTime()) {
        group.forEach(Job::outOfTime);
      } else {
        unsettled.addAll(group); // fall back to one GET each
      }
      return null;
    }
    Map<String, Operation> byName = new HashMap<>();
    for (Operation op : listing.operations()) {
      byName.put(op.name(), op);
    }
    for (Job j : group) {
      Operation op = byName.get(j.name.toString());
      if (op == null) {
        unsettled.add(j); // not on the pages read: fetch it on its own, never guess
      } else {
        j.seen(op, at);
      }
    }
    return listing.complete() ? listing.pages() : listing.pages() + 1;
  }

  private static long saturatedAdd(long a, long b) {
    return dev.fusioncancel.client.Retrier.saturatedAdd(a, b);
  }

  /** What is known about one operation; touched by one worker at a time. */
  private final class Job {
    private final OperationName name;
    private volatile CancelAttempt cancel;
    private volatile Operation operation;
    private volatile ApiException checkError;
    private volatile int checks;
    private volatile Instant checkedAt;
    private volatile boolean outOfTime;

    Job(OperationName name, CancelAttempt cancel) {
      this.name = name;
      this.cancel = cancel;
    }

    void sendCancel(Deadlines d) {
      if (ticker.nanoTime() >= d.cancelCutoff()) {
        return;
      }
      try {
        api.cancel(name, Math.min(d.cancelsEnd(), d.hardStop()));
        cancel = CancelAttempt.ACCEPTED;
      } catch (ApiException e) {
        if (!e.isOutOfTime()) {
          cancel = CancelAttempt.failed(e);
        }
      }
    }

    /** A refused cancel is checked once; an accepted one until it is seen done. */
    boolean needsCheck() {
      if (cancel == null
          || !AnswerTable.checkAfterCancel(cancel.status())
          || checkError != null
          || outOfTime) {
        return false;
      }
      return checks == 0 || (cancel.accepted() && operation != null && !operation.done());
    }

    /**
     * Whether the outcome can be decided now: not when a needed check never happened, nor when an
     * accepted cancel's operation was still running but the hard stop cut the wait short.
     */
    boolean settled(boolean waitCut) {
      if (!AnswerTable.checkAfterCancel(cancel.status()) || checkError != null) {
        return true;
      }
      if (checks == 0) {
        return false;
      }
      boolean running = operation != null && !operation.done();
      return !(running && cancel.accepted() && (waitCut || outOfTime));
    }

    void outOfTime() {
      outOfTime = true;
    }

    void seen(Operation op, Instant at) {
      operation = op;
      checks++;
      checkedAt = at;
    }

    void fetch(long hardStop) {
      // Stamped when the GET was sent: the state it shows held then or later, never earlier.
      Instant at = clock.instant();
      try {
        seen(api.get(name, hardStop), at);
      } catch (ApiException e) {
        if (e.isOutOfTime()) {
          outOfTime = true;
          return;
        }
        checkError = e;
        checks++;
        if (operation == null) {
          checkedAt = at; // otherwise checkedAt stays when the operation was last seen
        }
      }
    }

    CancelResult result() {
      Verdict v = AnswerTable.decide(cancel, operation, checkError);
      return new CancelResult(
          name.toString(),
          cancel,
          operation,
          checkError,
          v,
          checkedAt == null ? clock.instant() : checkedAt);
    }
  }
}
