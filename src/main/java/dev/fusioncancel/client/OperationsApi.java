package dev.fusioncancel.client;

import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;

/**
 * The three Data Fusion operation methods as logical calls: retried, paced by the location's
 * budget, and never running past {@code deadlineNanos} (a {@link dev.fusioncancel.time.Ticker}
 * reading). A call the deadline cut short throws an {@link ApiException} that {@link
 * ApiException#isOutOfTime() is out of time}; any other failure is the API's final answer.
 */
public interface OperationsApi {
  /** {@code POST {name}:cancel}; returns normally when the API accepted the cancel. */
  void cancel(OperationName name, long deadlineNanos);

  /** {@code GET {name}}. */
  Operation get(OperationName name, long deadlineNanos);

  /** {@code GET {parent}/operations}: one page. */
  OperationPage list(LocationName parent, int pageSize, String pageToken, long deadlineNanos);
}
