package dev.fusioncancel.events;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Publishes events to one Pub/Sub topic through the instance's shared {@link PubSubPublishers}. */
public final class PubSubOutcomeSink implements OutcomeSink {
  private final String topic;
  private final PubSubPublishers publishers;

  PubSubOutcomeSink(String topic, PubSubPublishers publishers) {
    this.topic = topic;
    this.publishers = publishers;
  }

  /** The topic, {@code projects/P/topics/T}. */
  public String topic() {
    return topic;
  }

  @Override
  public CompletableFuture<String> publish(String data, Map<String, String> attributes) {
    return publishers.publish(topic, data, attributes);
  }

  @Override
  public void prepare() {
    publishers.prepare(topic);
  }

  @Override
  public void flush() {
    publishers.flush(topic);
  }
}
