package dev.fusioncancel.client;

import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.name.ProjectName;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.rpc.RpcStatus;
import java.util.List;

/**
 * The Data Fusion methods fusion-cancel uses: three operation methods, and the project's locations
 * for wildcard parents. Implementations retry what is worth retrying and throw {@link ApiException}
 * with the final answer otherwise.
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

  /**
   * {@code GET projects/{project}/locations}: one page of the project's locations. An
   * implementation without it answers UNIMPLEMENTED, as a service without the method would; a
   * wildcard parent then fails with that error instead of being guessed.
   *
   * @param pageSize the page size asked for; 0 or less leaves it to the server
   * @param pageToken the previous page's {@code nextPageToken}, or null for the first page
   */
  default LocationPage listLocations(ProjectName project, int pageSize, String pageToken) {
    throw new ApiException(
        new RpcStatus(
            Code.UNIMPLEMENTED,
            "projects.locations.list is not implemented by " + getClass().getSimpleName()),
        501,
        null,
        1,
        null);
  }
}
