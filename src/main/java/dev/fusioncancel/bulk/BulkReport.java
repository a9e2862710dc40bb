package dev.fusioncancel.bulk;

import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.rpc.Code;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of a bulk request did: one result per operation handled, and the work it had no time
 * for (it goes on in a follow-up message).
 *
 * @param results one per operation handled in this run, refused names included
 * @param remaining names not yet cancelled when the run had to stop (cancel them in the follow-up)
 * @param toCheck names whose cancel was answered but not yet checked, with the answer
 * @param relist parents whose listing did not finish (the follow-up selects from them again)
 * @param skippedByLimit how many selected operations the limit left out
 * @param parentErrors parents whose listing failed for good, with the error
 * @param scope the locations the parents came to, those left out, and wildcards not yet listed
 */
public record BulkReport(
    String requestId,
    BulkRequest request,
    Instant startedAt,
    Instant finishedAt,
    List<CancelResult> results,
    List<String> remaining,
    Map<String, Code> toCheck,
    List<LocationName> relist,
    int skippedByLimit,
    Map<String, String> parentErrors,
    LocationExpansion.Scope scope) {

  public BulkReport {
    results = List.copyOf(results);
    remaining = List.copyOf(remaining);
    toCheck = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(toCheck));
    relist = List.copyOf(relist);
    parentErrors = Map.copyOf(parentErrors);
  }

  /** A report with nothing to check or list again. */
  public BulkReport(
      String requestId,
      BulkRequest request,
      Instant startedAt,
      Instant finishedAt,
      List<CancelResult> results,
      List<String> remaining,
      int skippedByLimit,
      Map<String, String> parentErrors,
      LocationExpansion.Scope scope) {
    this(
        requestId,
        request,
        startedAt,
        finishedAt,
        results,
        remaining,
        Map.of(),
        List.of(),
        skippedByLimit,
        parentErrors,
        scope);
  }

  /** A report of a request without wildcard parents: its scope is its named parents. */
  public BulkReport(
      String requestId,
      BulkRequest request,
      Instant startedAt,
      Instant finishedAt,
      List<CancelResult> results,
      List<String> remaining,
      int skippedByLimit,
      Map<String, String> parentErrors) {
    this(
        requestId,
        request,
        startedAt,
        finishedAt,
        results,
        remaining,
        skippedByLimit,
        parentErrors,
        LocationExpansion.Scope.of(request.parents()));
  }

  /** This report with other parent errors. */
  public BulkReport withParentErrors(Map<String, String> errors) {
    return new BulkReport(
        requestId,
        request,
        startedAt,
        finishedAt,
        results,
        remaining,
        toCheck,
        relist,
        skippedByLimit,
        errors,
        scope);
  }

  /** Whether some work is left for a follow-up. */
  public boolean unfinished() {
    return !remaining.isEmpty()
        || !toCheck.isEmpty()
        || !relist.isEmpty()
        || !scope.unfinished().isEmpty();
  }
}
