package dev.fusioncancel.bulk;

import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.ProjectName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A validated bulk request (the Pub/Sub message data). Names in {@code operations} are kept as
 * strings: an invalid one becomes an INVALID_NAME outcome, not a request error.
 *
 * @param operations explicit operation names, deduplicated, in request order
 * @param parents locations whose running operations are listed and selected, deduplicated
 * @param olderThan select only operations created longer ago than this (empty: any age)
 * @param verbs select only these {@code metadata.verb} values, case-insensitively (empty: any)
 * @param targets select only these {@code metadata.target} values, exactly (empty: any)
 * @param limit at most this many operations are cancelled by the request
 * @param dryRun report what would be cancelled, call nothing that changes state
 * @param waitFor how long to keep checking cancelled operations (not yet capped by MAX_WAIT)
 * @param continuation set only on follow-up messages this function publishes itself
 * @param allLocationsOf projects named by a wildcard parent {@code projects/P/locations/-}: every
 *     location {@code projects.locations.list} finds is a parent, deduplicated
 */
public record BulkRequest(
    List<String> operations,
    List<LocationName> parents,
    Optional<Duration> olderThan,
    List<String> verbs,
    List<String> targets,
    int limit,
    boolean dryRun,
    Duration waitFor,
    Optional<Continuation> continuation,
    List<ProjectName> allLocationsOf) {

  public static final int DEFAULT_LIMIT = 1000;
  public static final int MAX_LIMIT = 10_000;
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

  public BulkRequest {
    operations = List.copyOf(operations);
    parents = List.copyOf(parents);
    verbs = List.copyOf(verbs);
    targets = List.copyOf(targets);
    allLocationsOf = List.copyOf(allLocationsOf);
    if (operations.isEmpty() && parents.isEmpty() && allLocationsOf.isEmpty()) {
      throw new IllegalArgumentException("operations and/or parents is required");
    }
  }

  /** A request without wildcard parents. */
  public BulkRequest(
      List<String> operations,
      List<LocationName> parents,
      Optional<Duration> olderThan,
      List<String> verbs,
      List<String> targets,
      int limit,
      boolean dryRun,
      Duration waitFor,
      Optional<Continuation> continuation) {
    this(
        operations,
        parents,
        olderThan,
        verbs,
        targets,
        limit,
        dryRun,
        waitFor,
        continuation,
        List.of());
  }

  /**
   * Marks a follow-up message: the remaining work of request {@code requestId}, run number {@code
   * part} (the original run is part 1). The follow-up reuses the original request id, so every
   * operation keeps the eventId it would have had in the original run, and carries the original's
   * reference time ({@code since}: when the original message was published), so every part selects
   * and reports against the same instant. {@code since} is empty only for follow-ups written before
   * it existed; those use their own message's publish time.
   */
  public record Continuation(String requestId, int part, Optional<Instant> since) {
    public static final int MAX_PART = 50;

    public Continuation(String requestId, int part) {
      this(requestId, part, Optional.empty());
    }

    public Continuation {
      if (requestId == null || requestId.isEmpty() || requestId.length() > 200) {
        throw new IllegalArgumentException("continuation.requestId must be 1 to 200 characters");
      }
      if (part < 2 || part > MAX_PART) {
        throw new IllegalArgumentException("continuation.part must be 2 to " + MAX_PART);
      }
      if (since == null) {
        throw new IllegalArgumentException("continuation.since must not be null");
      }
    }
  }

  /** The request id this run reports under: the original one for a follow-up. */
  public String requestIdOr(String messageId) {
    return continuation.map(Continuation::requestId).orElse(messageId);
  }

  /** Which run of the request this is: 1, or the follow-up's part number. */
  public int part() {
    return continuation.map(Continuation::part).orElse(1);
  }

  /**
   * The reference time of this run: the original's {@code since} for a follow-up that carries one,
   * else {@code published} (when this message was published).
   */
  public Instant referenceTime(Instant published) {
    return continuation.flatMap(Continuation::since).orElse(published);
  }

  /**
   * The follow-up carrying {@code remaining} explicit names: same filters, no parents (the
   * selection is already made), the original request id, the next part number and the original
   * reference time {@code since}.
   */
  public BulkRequest followUp(String requestId, List<String> remaining, Instant since) {
    return followUp(requestId, remaining, List.of(), 0, since);
  }

  /**
   * The follow-up carrying {@code remaining} explicit names and the wildcard parents whose
   * locations were not listed in time ({@code relist}, listed afresh by the follow-up). With
   * wildcards the follow-up may still select up to {@code limit - used} operations ({@code used}:
   * how many this part handled, not counting {@code remaining}); without, just the remaining names.
   */
  public BulkRequest followUp(
      String requestId, List<String> remaining, List<ProjectName> relist, int used, Instant since) {
    int nextLimit =
        relist.isEmpty()
            ? Math.min(limit, remaining.size())
            : Math.max(remaining.size(), limit - used);
    return new BulkRequest(
        remaining,
        List.of(),
        olderThan,
        verbs,
        targets,
        Math.max(1, nextLimit),
        dryRun,
        waitFor,
        Optional.of(new Continuation(requestId, part() + 1, Optional.of(referenceTime(since)))),
        relist);
  }
}
