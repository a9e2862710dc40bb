package dev.fusioncancel.client;

import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
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
    return OperationListing.read(this, parent, pageSize, Integer.MAX_VALUE).operations();
  }
}
