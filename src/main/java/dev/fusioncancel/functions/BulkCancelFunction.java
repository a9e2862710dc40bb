package dev.fusioncancel.functions;

import com.google.cloud.functions.CloudEventsFunction;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.bulk.BulkRunner;
import dev.fusioncancel.bulk.BulkService;
import dev.fusioncancel.bulk.BulkSettings;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.config.ConfigException;
import dev.fusioncancel.engine.ThreadWorkers;
import dev.fusioncancel.engine.Workers;
import dev.fusioncancel.events.LoggingOutcomeSink;
import dev.fusioncancel.events.OutcomeSink;
import dev.fusioncancel.events.PubSubPublishers;
import dev.fusioncancel.events.TopicSinks;
import dev.fusioncancel.log.CloudLog;
import dev.fusioncancel.time.Sleeper;
import dev.fusioncancel.time.Ticker;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pub/Sub entry point: cancels operations in bulk and publishes one outcome event each, then a
 * summary. Only translates the {@code messagePublished} CloudEvent into a {@link BulkService} call.
 */
public final class BulkCancelFunction implements CloudEventsFunction {
  private static final Pattern PUBSUB_SOURCE =
      Pattern.compile("//pubsub\\.googleapis\\.com/(projects/[^/]+/topics/[^/]+)");

  /** The Pub/Sub message data is at most 10 MB; its base64 and envelope a little more. */
  private static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

  private final BulkService service;
  private final Clock clock;

  /** Production: configuration from the environment, read once per instance. */
  public BulkCancelFunction() {
    this(new Production());
  }

  private BulkCancelFunction(Production p) {
    this(
        p.config,
        p.api,
        p.outcomes,
        p.publishers,
        Clock.systemUTC(),
        Ticker.SYSTEM,
        Sleeper.SYSTEM,
        ThreadWorkers.INSTANCE,
        p.settings);
  }

  /** For tests and other wiring: every collaborator given. */
  BulkCancelFunction(
      Config config,
      OperationsApi api,
      OutcomeSink outcomes,
      TopicSinks topics,
      Clock clock,
      Ticker ticker,
      Sleeper sleeper,
      Workers workers,
      BulkSettings settings) {
    this.clock = clock;
    BulkRunner runner = new BulkRunner(config, api, clock, ticker, sleeper, workers, settings);
    this.service = new BulkService(runner, outcomes, topics, clock, ticker, settings.deadline());
  }

  @Override
  public void accept(CloudEvent event) throws Exception {
    String fallbackId = event.getId() == null ? "unknown" : event.getId();
    Optional<String> topic =
        triggerTopic(event.getSource() == null ? null : event.getSource().toString());
    JsonObject message;
    try {
      message = message(event);
    } catch (IllegalArgumentException e) {
      service.reportInvalid(fallbackId, e.getMessage(), clock.instant());
      return;
    }
    String messageId = fallbackId;
    JsonElement id = message.get("messageId");
    if (id != null && id.isJsonPrimitive() && !id.getAsString().isEmpty()) {
      messageId = id.getAsString();
    }
    byte[] data;
    try {
      JsonElement d = message.get("data");
      if (d == null || !d.isJsonPrimitive() || !d.getAsJsonPrimitive().isString()) {
        throw new IllegalArgumentException("the Pub/Sub message has no data");
      }
      data = Base64.getDecoder().decode(d.getAsString());
    } catch (IllegalArgumentException e) {
      service.reportInvalid(
          messageId,
          "the Pub/Sub message data is not valid base64: " + e.getMessage(),
          clock.instant());
      return;
    }
    service.handle(data, messageId, publishTime(message, event), topic);
  }

  /**
   * When the message was published: {@code message.publishTime}, else the CloudEvent {@code time}
   * (Eventarc sets it to the publish time), else empty (the service then uses now). It is the
   * request's reference time, the same on every delivery of the message.
   */
  static Optional<Instant> publishTime(JsonObject message, CloudEvent event) {
    JsonElement t = message.get("publishTime");
    if (t != null && t.isJsonPrimitive() && t.getAsJsonPrimitive().isString()) {
      try {
        return Optional.of(
            OffsetDateTime.parse(t.getAsString(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .toInstant());
      } catch (DateTimeParseException e) {
        // fall through to the event time
      }
    }
    return Optional.ofNullable(event.getTime()).map(OffsetDateTime::toInstant);
  }

  /** The {@code message} object of the {@code messagePublished} event data. */
  private static JsonObject message(CloudEvent event) {
    if (event.getData() == null) {
      throw new IllegalArgumentException("the event has no data");
    }
    byte[] bytes = event.getData().toBytes();
    if (bytes.length > MAX_EVENT_BYTES) {
      throw new IllegalArgumentException("the event data is too large");
    }
    JsonElement root;
    try {
      root = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
    } catch (RuntimeException | StackOverflowError e) {
      throw new IllegalArgumentException("the event data is not a Pub/Sub messagePublished body");
    }
    if (root.isJsonObject() && root.getAsJsonObject().get("message") instanceof JsonObject m) {
      return m;
    }
    throw new IllegalArgumentException("the event data has no Pub/Sub message");
  }

  /** {@code //pubsub.googleapis.com/projects/P/topics/T} gives {@code projects/P/topics/T}. */
  static Optional<String> triggerTopic(String source) {
    if (source == null) {
      return Optional.empty();
    }
    Matcher m = PUBSUB_SOURCE.matcher(source);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The production collaborators, built once per instance (a bad config fails here, logged). */
  private static final class Production {
    final Config config;
    final OperationsApi api;
    final PubSubPublishers publishers;
    final OutcomeSink outcomes;
    final BulkSettings settings;

    private Production() {
      try {
        settings = BulkSettings.fromProperty(System.getProperty(BulkSettings.DEADLINE_PROPERTY));
      } catch (IllegalArgumentException e) {
        CloudLog.log(
            CloudLog.Severity.CRITICAL,
            "bad configuration: " + e.getMessage(),
            null,
            Map.of("variable", BulkSettings.DEADLINE_PROPERTY));
        throw new ConfigException(BulkSettings.DEADLINE_PROPERTY, e.getMessage());
      }
      try {
        config = Config.fromEnvironment();
      } catch (ConfigException e) {
        CloudLog.log(
            CloudLog.Severity.CRITICAL,
            "bad configuration: " + e.getMessage(),
            null,
            Map.of("variable", e.variable()));
        throw e;
      }
      api = Wiring.operationsApi(config, Wiring.transport(config));
      publishers = new PubSubPublishers(config.pubsubEmulatorHost());
      outcomes =
          config.outcomeTopic().isPresent()
              ? publishers.forTopic(config.outcomeTopic().get())
              : new LoggingOutcomeSink();
    }
  }
}
