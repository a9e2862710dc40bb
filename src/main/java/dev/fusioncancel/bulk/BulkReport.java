package dev.fusioncancel.bulk;

import dev.fusioncancel.outcome.CancelResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one run of a bulk request did: one result per operation handled, and the names it had no
 * time to start (they go on in a follow-up message).
 *
 * @param results one per operation handled in this run, refused names included
 * @param remaining selected names not yet cancelled when the run had to stop
 * @param skippedByLimit how many selected operations the limit left out
 * @param parentErrors parents whose listing failed, with the error
 * @param scope the locations the parents came to, those left out, and wildcards not yet listed
 */
public record BulkReport(
    String requestId,
    BulkRequest request,
    Instant startedAt,
    Instant finishedAt,
    List<CancelResult> results,
    List<String> remaining,
    int skippedByLimit,
    Map<String, String> parentErrors,
    LocationExpansion.Scope scope) {

  public BulkReport {
    results = List.copyOf(results);
    remaining = List.copyOf(remaining);
    parentErrors = Map.copyOf(parentErrors);
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
        skippedByLimit,
        errors,
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
}
