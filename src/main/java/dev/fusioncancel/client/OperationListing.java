package dev.fusioncancel.client;

import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.rpc.Code;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The operations of a location read page by page, with how many pages it took and whether the end
 * was reached (a check may stop early once listing would cost more than fetching one by one). The
 * one paging loop: it refuses a page token that comes back twice instead of reading forever.
 */
public record OperationListing(List<Operation> operations, int pages, boolean complete) {

  /** Reads at most {@code maxPages} pages (all of them for {@link Integer#MAX_VALUE}). */
  public static OperationListing read(
      OperationsApi api, LocationName parent, int pageSize, int maxPages) {
    List<Operation> all = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String token = null;
    int pages = 0;
    do {
      if (pages >= maxPages) {
        return new OperationListing(all, pages, false);
      }
      OperationPage page = api.list(parent, pageSize, token);
      pages++;
      all.addAll(page.operations());
      token = page.nextPageToken();
      if (token != null && !seen.add(token)) {
        throw ApiException.transport(
            Code.INTERNAL,
            "operations.list returned page token '" + token + "' twice; stopped reading",
            null);
      }
    } while (token != null);
    return new OperationListing(all, pages, true);
  }
}
