package dev.fusioncancel.functions;

import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;

/** Pub/Sub entry point: cancels operations in bulk and publishes one outcome event each. */
public final class BulkCancelFunction implements CloudEventsFunction {
  @Override
  public void accept(CloudEvent event) throws Exception {
    throw new UnsupportedOperationException("not yet built");
  }
}
