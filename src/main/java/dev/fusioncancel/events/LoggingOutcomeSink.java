package dev.fusioncancel.events;

import dev.fusioncancel.log.CloudLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The sink when {@code OUTCOME_TOPIC} is unset: each event becomes one structured log line. */
public final class LoggingOutcomeSink implements OutcomeSink {
  @Override
  public CompletableFuture<String> publish(String data, Map<String, String> attributes) {
    Map<String, String> labels = new LinkedHashMap<>(attributes);
    CloudLog.info(data, labels);
    return CompletableFuture.completedFuture(attributes.getOrDefault("eventId", ""));
  }
}
