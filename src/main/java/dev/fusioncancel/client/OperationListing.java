package dev.fusioncancel.client;

import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.rpc.Code;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The operations of a location read page by page, keeping only those {@code keep} accepts (so a
 * listing holds what its user needs, not every page), with how many pages it took and whether the
 * end was reached. The one paging loop: it refuses a page token that comes back twice instead of
 * reading forever.
 */
public record OperationListing(List<Operation> operations, int pages, boolean complete) {

  /** Reads every page and keeps every operation. */
  public static OperationListing readAll(
      OperationsApi api, LocationName parent, int pageSize, long deadlineNanos) {
    return read(api, parent, pageSize, Integer.MAX_VALUE, deadlineNanos, op -> true);
  }

  /**
   * Reads at most {@code maxPages} pages (all of them for {@link Integer#MAX_VALUE}), each by
   * {@code deadlineNanos}.
   *
   * @throws ApiException the failure of a page (out of time when the deadline cut it short)
   */
  public static OperationListing read(
      OperationsApi api,
      LocationName parent,
      int pageSize,
      int maxPages,
      long deadlineNanos,
      Predicate<Operation> keep) {
    List<Operation> kept = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String token = null;
    int pages = 0;
    do {
      if (pages >= maxPages) {
        return new OperationListing(kept, pages, false);
      }
      OperationPage page = api.list(parent, pageSize, token, deadlineNanos);
      pages++;
      for (Operation op : page.operations()) {
        if (keep.test(op)) {
          kept.add(op);
        }
      }
      token = page.nextPageToken();
      if (token != null && !seen.add(token)) {
        throw ApiException.transport(
            Code.INTERNAL,
            "operations.list returned page token '" + token + "' twice; stopped reading",
            null);
      }
    } while (token != null);
    return new OperationListing(kept, pages, true);
  }
}
