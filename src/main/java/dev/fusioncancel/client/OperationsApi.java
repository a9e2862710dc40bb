package dev.fusioncancel.client;

import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import java.util.ArrayList;
import java.util.List;

/**
 * The three Data Fusion operation methods fusion-cancel uses. Implementations retry what is worth
 * retrying and throw {@link ApiException} with the final answer otherwise.
 */
public interface OperationsApi {
  /** {@code POST {name}:cancel}; returns normally when the API accepted the cancel. */
  void cancel(OperationName name);

  /** {@code GET {name}}. */
  Operation get(OperationName name);

  /** {@code GET {parent}/operations}: one page. */
  OperationPage list(LocationName parent, int pageSize, String pageToken);

  /** Every page of {@code operations.list}, read to the end. */
  default List<Operation> listAll(LocationName parent, int pageSize) {
    List<Operation> all = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    String token = null;
    do {
      OperationPage page = list(parent, pageSize, token);
      all.addAll(page.operations());
      token = page.nextPageToken();
      if (token != null && !seen.add(token)) {
        throw ApiException.transport(
            dev.fusioncancel.rpc.Code.INTERNAL,
            "operations.list returned page token '" + token + "' twice; stopped reading",
            null);
      }
    } while (token != null);
    return all;
  }
}
