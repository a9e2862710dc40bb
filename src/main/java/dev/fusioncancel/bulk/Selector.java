package dev.fusioncancel.bulk;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.client.OperationListing;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.name.InvalidNameException;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Outcome;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

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
   * Selects the operations of a request as of now (see {@link #select(BulkRequest, Instant,
   * ExecutorService)}).
   */
  public Selection select(BulkRequest request, ExecutorService pool) throws InterruptedException {
    return select(request, clock.instant(), pool);
  }

  /**
   * Selects the operations of a request, listing parents on {@code pool}.
   *
   * @param reference when the request was published: filters and the "finished after" test use it
   */
  public Selection select(BulkRequest request, Instant reference, ExecutorService pool)
      throws InterruptedException {
    return select(request, request.parents(), reference, pool);
  }

  /**
   * Selects the operations of a request whose parents came to {@code parents} (its named ones and
   * the locations its wildcards found: {@link LocationExpansion}), listing them on {@code pool}.
   */
  public Selection select(
      BulkRequest request, List<LocationName> parents, Instant reference, ExecutorService pool)
      throws InterruptedException {
    Instant now = clock.instant();
    List<Selection.Target> chosen = new ArrayList<>();
    List<CancelResult> refused = new ArrayList<>();
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
      }
    }

    Map<LocationName, Future<OperationListing>> listings = new LinkedHashMap<>();
    for (LocationName parent : parents) {
      listings.put(
          parent,
          pool.submit(() -> OperationListing.read(api, parent, pageSize, Integer.MAX_VALUE)));
    }
    Map<LocationName, Integer> pages = new LinkedHashMap<>();
    Map<String, String> parentErrors = new LinkedHashMap<>();
    List<Operation> matches = new ArrayList<>();
    for (Map.Entry<LocationName, Future<OperationListing>> e : listings.entrySet()) {
      OperationListing listing;
      try {
        listing = e.getValue().get();
      } catch (ExecutionException failed) {
        Throwable cause = failed.getCause();
        parentErrors.put(
            e.getKey().toString(),
            cause instanceof ApiException api ? api.getMessage() : String.valueOf(cause));
        continue;
      }
      pages.put(e.getKey(), listing.pages());
      for (Operation op : listing.operations()) {
        if (matches(request, op, reference, e.getKey())) {
          matches.add(op);
        }
      }
    }
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
    return new Selection(limited, refused, skipped, pages, parentErrors);
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
