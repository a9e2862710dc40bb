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
 */
public record BulkReport(
    String requestId,
    BulkRequest request,
    Instant startedAt,
    Instant finishedAt,
    List<CancelResult> results,
    List<String> remaining,
    int skippedByLimit,
    Map<String, String> parentErrors) {

  public BulkReport {
    results = List.copyOf(results);
    remaining = List.copyOf(remaining);
    parentErrors = Map.copyOf(parentErrors);
  }
}
