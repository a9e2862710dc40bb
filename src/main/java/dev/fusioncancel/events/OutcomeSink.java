package dev.fusioncancel.events;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Where outcome events go: one message per call, completed with its message id. */
public interface OutcomeSink {
  /** Publishes one message; the future fails when the message could not be published. */
  CompletableFuture<String> publish(String data, Map<String, String> attributes);

  /** Sends whatever is batched now instead of waiting for the batch to fill. */
  default void flush() {}

  /**
   * Gets ready to publish (e.g. builds the topic's publisher) while the run is still working, so
   * that publishing at the end of a run spends its margin on messages, not on setting up.
   */
  default void prepare() {}
}
