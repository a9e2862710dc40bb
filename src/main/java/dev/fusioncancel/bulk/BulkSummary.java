package dev.fusioncancel.bulk;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.EventIds;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.rpc.Code;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The summary event that follows the outcome events of a bulk run: how many operations ended in
 * each outcome. {@code total} is always the sum of {@code counts}.
 *
 * @param part 1 for the original run, 2, 3... for follow-ups (their eventId includes it)
 * @param skippedByLimit how many selected operations the limit left out (absent for errors)
 * @param followUp where the remaining work went, if it did
 * @param parentErrors parents whose listing failed
 * @param error why the message was not a valid request
 * @param locations the counts by location, and locations a wildcard found but left out
 */
public record BulkSummary(
    String requestId,
    int part,
    boolean dryRun,
    Map<Outcome, Integer> counts,
    Instant startedAt,
    Instant finishedAt,
    Optional<Integer> skippedByLimit,
    Optional<FollowUp> followUp,
    Map<String, String> parentErrors,
    Optional<String> error,
    LocationCounts locations) {

  /**
   * The follow-up message for the work not yet done (names, and wildcard parents not yet listed),
   * published to the trigger topic after this part's events are confirmed ({@code messageId} is
   * then not known yet and is null).
   */
  public record FollowUp(
      String topic, String messageId, int part, int remaining, List<String> parents) {
    public FollowUp {
      parents = List.copyOf(parents);
    }

    /** A follow-up with names only. */
    public FollowUp(String topic, String messageId, int part, int remaining) {
      this(topic, messageId, part, remaining, List.of());
    }
  }

  public BulkSummary {
    counts = Map.copyOf(counts);
    parentErrors = Map.copyOf(parentErrors);
  }

  /** A summary without a breakdown by location. */
  public BulkSummary(
      String requestId,
      int part,
      boolean dryRun,
      Map<Outcome, Integer> counts,
      Instant startedAt,
      Instant finishedAt,
      Optional<Integer> skippedByLimit,
      Optional<FollowUp> followUp,
      Map<String, String> parentErrors,
      Optional<String> error) {
    this(
        requestId,
        part,
        dryRun,
        counts,
        startedAt,
        finishedAt,
        skippedByLimit,
        followUp,
        parentErrors,
        error,
        LocationCounts.NONE);
  }

  /** The summary of results. */
  public static BulkSummary of(
      BulkReport report,
      Collection<CancelResult> results,
      Optional<FollowUp> followUp,
      Instant finishedAt) {
    return of(report, results, followUp, report.parentErrors(), finishedAt);
  }

  /** The summary of results, with the parents whose listing failed. */
  public static BulkSummary of(
      BulkReport report,
      Collection<CancelResult> results,
      Optional<FollowUp> followUp,
      Map<String, String> parentErrors,
      Instant finishedAt) {
    return new BulkSummary(
        report.requestId(),
        report.request().part(),
        report.request().dryRun(),
        count(results),
        report.startedAt(),
        finishedAt,
        Optional.of(report.skippedByLimit()),
        followUp,
        parentErrors,
        Optional.empty(),
        LocationCounts.of(report.scope(), results));
  }

  /** The summary of a message that was not a valid request. */
  public static BulkSummary invalid(
      String requestId, String error, Instant startedAt, Instant finishedAt) {
    return new BulkSummary(
        requestId,
        1,
        false,
        Map.of(),
        startedAt,
        finishedAt,
        Optional.empty(),
        Optional.empty(),
        Map.of(),
        Optional.of(error));
  }

  /** How many results ended in each outcome. */
  public static Map<Outcome, Integer> count(Collection<CancelResult> results) {
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    for (CancelResult r : results) {
      counts.merge(r.outcome(), 1, Integer::sum);
    }
    return counts;
  }

  /** The number of operations reported. */
  public int total() {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Stable: {@code summary} for the original run, {@code summary/N} for follow-up part N. */
  public String eventId() {
    return EventIds.summary(requestId, part);
  }

  /**
   * The event data; {@code counts} lists every outcome, zeros included, in the contract's order.
   */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("eventId", eventId());
    o.addProperty("requestId", requestId);
    o.addProperty("total", total());
    JsonObject c = new JsonObject();
    for (Outcome outcome : Outcome.values()) {
      c.addProperty(outcome.name(), counts.getOrDefault(outcome, 0));
    }
    o.add("counts", c);
    o.addProperty("startedAt", startedAt.toString());
    o.addProperty("finishedAt", finishedAt.toString());
    o.addProperty("dryRun", dryRun);
    if (part > 1) {
      o.addProperty("part", part);
    }
    skippedByLimit.ifPresent(n -> o.addProperty("skippedByLimit", n));
    followUp.ifPresent(
        f -> {
          JsonObject j = new JsonObject();
          j.addProperty("topic", f.topic());
          if (f.messageId() != null) {
            j.addProperty("messageId", f.messageId());
          }
          j.addProperty("part", f.part());
          j.addProperty("remaining", f.remaining());
          if (!f.parents().isEmpty()) {
            JsonArray parents = new JsonArray();
            f.parents().forEach(parents::add);
            j.add("parents", parents);
          }
          o.add("followUp", j);
        });
    if (!parentErrors.isEmpty()) {
      JsonObject p = new JsonObject();
      parentErrors.forEach(p::addProperty);
      o.add("parentErrors", p);
    }
    // A google.rpc.Status like an operation's error, so that one Pub/Sub schema describes both.
    error.ifPresent(
        e -> {
          JsonObject status = new JsonObject();
          status.addProperty("code", Code.INVALID_ARGUMENT.number());
          status.addProperty("message", e);
          o.add("error", status);
        });
    locations.addTo(o);
    return o;
  }

  /** The Pub/Sub attributes: {@code type=summary}, {@code requestId}, {@code eventId}. */
  public Map<String, String> attributes() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("type", "summary");
    a.put("requestId", requestId);
    a.put("eventId", eventId());
    a.put("dryRun", Boolean.toString(dryRun));
    return a;
  }
}
