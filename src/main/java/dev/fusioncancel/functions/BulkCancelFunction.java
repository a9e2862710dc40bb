package dev.fusioncancel.functions;

import com.google.cloud.functions.CloudEventsFunction;
import dev.fusioncancel.bulk.BulkService;
import dev.fusioncancel.pubsub.InvalidMessageException;
import dev.fusioncancel.pubsub.PubSubMessage;
import io.cloudevents.CloudEvent;
import java.time.Clock;

/**
 * Pub/Sub entry point: cancels operations in bulk and publishes one outcome event each, then a
 * summary. Thin: {@link PubSubMessage} decodes the {@code messagePublished} CloudEvent and {@link
 * BulkService} does the rest; an envelope that cannot be read is one error summary, not a retry.
 */
public final class BulkCancelFunction implements CloudEventsFunction {
  private final BulkService service;
  private final Clock clock;

  /** Production: configuration from the environment, read once per instance. */
  public BulkCancelFunction() {
    this(Wiring.bulkService(Wiring.config()), Clock.systemUTC());
  }

  /** For tests and other wiring: the service given ({@link Wiring#bulkService}). */
  BulkCancelFunction(BulkService service, Clock clock) {
    this.service = service;
    this.clock = clock;
  }

  @Override
  public void accept(CloudEvent event) throws Exception {
    PubSubMessage message;
    try {
      message = PubSubMessage.decode(event);
    } catch (InvalidMessageException e) {
      service.reportInvalid(e.messageId(), e.getMessage(), clock.instant());
      return;
    }
    service.handle(
        message.data(), message.messageId(), message.publishTime(), message.triggerTopic());
  }
}
