package dev.fusioncancel.client;

import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.name.ProjectName;

/**
 * The Data Fusion methods fusion-cancel uses as logical calls (three operation methods, and the
 * project's locations for wildcard parents): retried, paced by the location's budget, and never
 * running past {@code deadlineNanos} (a {@link dev.fusioncancel.time.Ticker} reading). A call the
 * deadline cut short throws an {@link ApiException} that {@link ApiException#isOutOfTime() is out
 * of time}; any other failure is the API's final answer.
 */
public interface OperationsApi {
  /** {@code POST {name}:cancel}; returns normally when the API accepted the cancel. */
  void cancel(OperationName name, long deadlineNanos);

  /** {@code GET {name}}. */
  Operation get(OperationName name, long deadlineNanos);

  /** {@code GET {parent}/operations}: one page. */
  OperationPage list(LocationName parent, int pageSize, String pageToken, long deadlineNanos);

  /**
   * {@code GET projects/{project}/locations}: one page of the project's locations (paced by the
   * project's {@code global} budget key, see {@link dev.fusioncancel.bulk.LocationExpansion}).
   */
  LocationPage listLocations(
      ProjectName project, int pageSize, String pageToken, long deadlineNanos);
}
