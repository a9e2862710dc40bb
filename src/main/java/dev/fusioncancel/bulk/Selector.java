package dev.fusioncancel.bulk;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.client.OperationListing;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.engine.Workers;
import dev.fusioncancel.name.InvalidNameException;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.rpc.Code;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a request into the operations to cancel. Every page of every parent is read before anything
 * is chosen; then candidates are filtered locally, ordered oldest first and cut at the limit.
 * Explicit names always come first and count toward the limit.
 *
 * <p>A listed operation is a candidate when it was running at the request's reference time (when
 * the request was published): it is still running, or it finished at or after the reference time
 * with {@code requestedCancellation} set (an earlier delivery of the same request, or another
 * canceller, asked to cancel it after the request was made). The latter are selected so that a
 * redelivered message reports every operation the first delivery cancelled; they are never
 * cancelled again. {@code olderThan} is measured from the reference time, so every delivery of one
 * message selects the same operations.
 */
public final class Selector {
  private final Config config;
  private final OperationsApi api;
  private final Clock clock;
  private final int pageSize;

  public Selector(Config config, OperationsApi api, Clock clock, int pageSize) {
    this.config = config;
    this.api = api;
    this.clock = clock;
    this.pageSize = pageSize;
  }

  /**
   * Refuses a request whose parents lie outside {@code ALLOWED_PARENTS}, before any call: a
   * selector aimed at a forbidden location means the request is not what its sender thinks.
   */
  public void checkAllowed(BulkRequest request) throws InvalidRequestException {
    for (LocationName parent : request.parents()) {
      if (!config.allows(parent)) {
        throw new InvalidRequestException(
            "parent " + parent + " is outside ALLOWED_PARENTS; nothing was listed or cancelled");
      }
    }
    LocationExpansion.checkAllowed(config, request);
  }

  /**
   * Selects the operations of a request, listing its parents on {@code pool} (whose size bounds how
   * many are listed at once), keeping only the operations that match.
   *
   * @param reference when the request was published: filters and the "finished after" test use it
   * @param listBy no list page is requested or awaited past this {@link
   *     dev.fusioncancel.time.Ticker} reading; parents not listed by then go to {@link
   *     Selection#relist()}
   */
  public Selection select(BulkRequest request, Instant reference, long listBy, Workers.Pool pool)
      throws InterruptedException {
    return select(request, request.parents(), false, reference, listBy, pool);
  }

  /**
   * Selects the operations of a request whose parents came to {@code parents} (its named ones and
   * the locations its wildcards found: {@link LocationExpansion}).
   *
   * @param expansionUnfinished a wildcard's locations were not all found in time: nothing is
   *     selected now, every parent is listed again by the follow-up
   */
  public Selection select(
      BulkRequest request,
      List<LocationName> parents,
      boolean expansionUnfinished,
      Instant reference,
      long listBy,
      Workers.Pool pool)
      throws InterruptedException {
    Instant now = clock.instant();
    List<Selection.Target> chosen = new ArrayList<>();
    List<CancelResult> refused = new ArrayList<>();
    List<String> deferrable = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (String raw : request.operations()) {
      OperationName name;
      try {
        name = OperationName.parse(raw);
      } catch (InvalidNameException e) {
        if (names.add(raw)) {
          refused.add(CancelResult.withoutCall(raw, Outcome.INVALID_NAME, e.getMessage(), now));
        }
        continue;
      }
      if (!names.add(name.toString())) {
        continue;
      }
      if (!config.allows(name.parent())) {
        refused.add(
            CancelResult.withoutCall(
                name.toString(),
                Outcome.NOT_ALLOWED,
                name.parent() + " is outside ALLOWED_PARENTS; no call was made",
                now));
      } else {
        chosen.add(new Selection.Target(name, null));
        deferrable.add(name.toString());
      }
    }
    Listings listings =
        expansionUnfinished
            ? Listings.deferred(request)
            : listParents(request, parents, reference, listBy, pool);
    if (listings.again || expansionUnfinished) {
      return new Selection(
          List.of(),
          refused,
          0,
          listings.pages,
          listings.errors,
          listings.relist,
          deferrable,
          true);
    }
    List<Operation> matches = listings.matches;
    matches.sort(
        Comparator.comparing(Operation::createTime, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Operation::name));
    for (Operation op : matches) {
      OperationName name = OperationName.parse(op.name());
      if (names.add(name.toString())) {
        chosen.add(new Selection.Target(name, op));
      }
    }
    int skipped = Math.max(0, chosen.size() - request.limit());
    List<Selection.Target> limited = chosen.subList(0, Math.min(chosen.size(), request.limit()));
    return new Selection(
        limited, refused, skipped, listings.pages, listings.errors, List.of(), List.of(), false);
  }

  /** What listing the parents gave. */
  private static final class Listings {
    final List<Operation> matches = new ArrayList<>();
    final Map<LocationName, Integer> pages = new LinkedHashMap<>();
    final Map<String, String> errors = new LinkedHashMap<>();
    final List<LocationName> relist = new ArrayList<>();
    boolean again;

    /** Nothing listed: every named parent waits for the follow-up. */
    static Listings deferred(BulkRequest request) {
      Listings l = new Listings();
      l.relist.addAll(request.parents());
      l.again = true;
      return l;
    }
  }

  /**
   * The one place where a request's parents become per-location listings: each parent is read to
   * the end by {@code listBy}, keeping only the operations that {@link #matches}. A parent the API
   * refused for good goes to the errors; one cut short by the deadline, or whose retries ran out,
   * is listed again by the follow-up.
   */
  private Listings listParents(
      BulkRequest request,
      List<LocationName> parents,
      Instant reference,
      long listBy,
      Workers.Pool pool)
      throws InterruptedException {
    Listings out = new Listings();
    List<Runnable> jobs = new ArrayList<>();
    for (LocationName parent : parents) {
      jobs.add(
          () -> {
            OperationListing listing;
            try {
              listing =
                  OperationListing.read(
                      api,
                      parent,
                      pageSize,
                      Integer.MAX_VALUE,
                      listBy,
                      op -> matches(request, op, reference, parent));
            } catch (ApiException e) {
              synchronized (out) {
                if (e.isOutOfTime() || e.retryable() || e.code() == Code.INTERNAL) {
                  out.relist.add(parent);
                } else {
                  out.errors.put(parent.toString(), e.getMessage());
                }
              }
              return;
            }
            synchronized (out) {
              out.pages.put(parent, listing.pages());
              out.matches.addAll(listing.operations());
            }
          });
    }
    pool.runAll(jobs);
    // When one parent must be listed again, all of them are (but those refused for good): the
    // follow-up selects once, from complete listings, oldest first across every parent.
    if (!out.relist.isEmpty()) {
      out.again = true;
      out.relist.clear();
      for (LocationName p : request.parents()) {
        if (!out.errors.containsKey(p.toString())) {
          out.relist.add(p);
        }
      }
      out.matches.clear();
    }
    return out;
  }

  /**
   * Whether a listed operation was running at {@code reference} as far as the list shows (running
   * now, or finished at or after {@code reference} after a cancel was requested) and passes every
   * filter of the request.
   */
  static boolean matches(
      BulkRequest request, Operation op, Instant reference, LocationName parent) {
    if (op.name() == null) {
      return false;
    }
    if (op.done() && !finishedAfterCancelRequest(op, reference)) {
      return false;
    }
    if (op.createTime() != null && op.createTime().isAfter(reference)) {
      return false; // not running at the reference time: a redelivery must select the same set
    }
    OperationName name;
    try {
      name = OperationName.parse(op.name());
    } catch (InvalidNameException e) {
      return false; // never send a name the rules refuse, whoever produced it
    }
    if (!name.parent().equals(parent)) {
      return false;
    }
    if (request.olderThan().isPresent()) {
      if (op.createTime() == null
          || !op.createTime().isBefore(reference.minus(request.olderThan().get()))) {
        return false;
      }
    }
    if (!request.verbs().isEmpty()) {
      String verb = op.verb() == null ? null : op.verb().toLowerCase(Locale.ROOT);
      if (verb == null
          || request.verbs().stream().noneMatch(v -> v.toLowerCase(Locale.ROOT).equals(verb))) {
        return false;
      }
    }
    return request.targets().isEmpty() || request.targets().contains(op.target());
  }

  /**
   * A done operation that ended at or after {@code reference} with {@code requestedCancellation}:
   * it was running when the request was published and someone (most likely an earlier delivery of
   * this very request) asked to cancel it. Without an {@code endTime} it cannot be placed, so it is
   * not ours.
   */
  static boolean finishedAfterCancelRequest(Operation op, Instant reference) {
    return op.done()
        && Boolean.TRUE.equals(op.requestedCancellation())
        && op.endTime() != null
        && !op.endTime().isBefore(reference);
  }
}
