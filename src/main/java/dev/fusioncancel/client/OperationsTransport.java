package dev.fusioncancel.client;

import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.name.ProjectName;
import java.time.Duration;

/**
 * The three Data Fusion operation methods as single exchanges: each call sends exactly one request
 * and gives up after {@code timeout} (the time the caller's attempt has left). Retries, budget
 * permits and the 401 re-send live one layer up, in {@link RetryingOperationsApi}, so that every
 * request sent is paced and counted.
 */
public interface OperationsTransport {
  /** {@code POST {name}:cancel}; returns normally when the API accepted the cancel. */
  void cancel(OperationName name, Duration timeout);

  /** {@code GET {name}}. */
  Operation get(OperationName name, Duration timeout);

  /** {@code GET {parent}/operations}: one page. */
  OperationPage list(LocationName parent, int pageSize, String pageToken, Duration timeout);

  /**
   * {@code GET projects/{project}/locations}: one page. A transport without it answers
   * UNIMPLEMENTED, as a service without the method would; a wildcard parent then fails with that
   * error instead of being guessed.
   */
  default LocationPage listLocations(
      ProjectName project, int pageSize, String pageToken, Duration timeout) {
    throw new ApiException(
        new dev.fusioncancel.rpc.RpcStatus(
            dev.fusioncancel.rpc.Code.UNIMPLEMENTED,
            "projects.locations.list is not implemented by " + getClass().getSimpleName()),
        501,
        null,
        1,
        null);
  }

  /**
   * Forces new credentials after a 401, before the one re-send that follows.
   *
   * @throws ApiException UNAVAILABLE when the token source failed (retried like any transient)
   */
  default void refreshCredentials() {}
}
