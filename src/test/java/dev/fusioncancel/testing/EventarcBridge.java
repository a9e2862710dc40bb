package dev.fusioncancel.testing;

import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers messages from a Pub/Sub emulator subscription to a function as CloudEvents, the way
 * Eventarc does (the invoker cannot take raw emulator pushes): a 2xx acknowledges, anything else
 * makes the message available again, so Pub/Sub redelivers.
 */
public final class EventarcBridge implements AutoCloseable {
  /** How the CloudEvent is framed on the wire. */
  public enum Mode {
    BINARY,
    STRUCTURED
  }

  private final PubSubEmulator pubsub;
  private final String subscription;
  private final String topic;
  private final Mode mode;
  private volatile String functionUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Thread thread;
  private final AtomicInteger delivered = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private volatile boolean running = true;

  public EventarcBridge(
      PubSubEmulator pubsub, String topic, String subscription, String functionUrl, Mode mode) {
    this.pubsub = pubsub;
    this.topic = topic;
    this.subscription = subscription;
    this.functionUrl = functionUrl;
    this.mode = mode;
    this.thread = new Thread(this::loop, "eventarc-bridge-" + subscription);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Points the bridge at another function URL (e.g. after a restart). */
  public void retarget(String url) {
    this.functionUrl = url;
  }

  /** Deliveries the function acknowledged. */
  public int delivered() {
    return delivered.get();
  }

  /** Deliveries the function failed (they are redelivered). */
  public int failed() {
    return failed.get();
  }

  private void loop() {
    while (running) {
      try {
        List<PubSubEmulator.Received> batch = pubsub.pull(subscription, 10);
        if (batch.isEmpty()) {
          Thread.sleep(100);
          continue;
        }
        List<String> ack = new ArrayList<>();
        List<String> nack = new ArrayList<>();
        for (PubSubEmulator.Received m : batch) {
          if (deliver(m)) {
            ack.add(m.ackId());
            delivered.incrementAndGet();
          } else {
            nack.add(m.ackId());
            failed.incrementAndGet();
          }
        }
        pubsub.ack(subscription, ack);
        pubsub.nack(subscription, nack);
        if (!nack.isEmpty()) {
          Thread.sleep(500); // Pub/Sub backs off before redelivering
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** Sends one message to the function; true when it answered 2xx. */
  public boolean deliver(PubSubEmulator.Received m) throws InterruptedException {
    HttpRequest request =
        cloudEvent(
            functionUrl,
            mode,
            PubSubEmulator.topicName(topic),
            subscription,
            m.messageId(),
            m.data(),
            m.attributes(),
            m.publishTime() == null ? Instant.now() : Instant.parse(m.publishTime()));
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return r.statusCode() / 100 == 2;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static final HttpClient DIRECT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * Delivers one message straight to a function (binary mode), without a subscription: how a test
   * redelivers a message by hand with its original messageId and publishTime.
   */
  public static HttpResponse<String> deliverDirect(
      String url, String topic, String messageId, String data, Instant publishTime)
      throws java.io.IOException, InterruptedException {
    return DIRECT.send(
        cloudEvent(
            url,
            Mode.BINARY,
            PubSubEmulator.topicName(topic),
            "direct",
            messageId,
            data,
            java.util.Map.of(),
            publishTime),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Builds a {@code messagePublished} CloudEvent request as Eventarc sends it. */
  public static HttpRequest cloudEvent(
      String url,
      Mode mode,
      String topicName,
      String subscription,
      String messageId,
      String data,
      java.util.Map<String, String> attributes,
      Instant publishTime) {
    JsonObject message = new JsonObject();
    message.addProperty(
        "data",
        Base64.getEncoder().encodeToString(data.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    message.addProperty("messageId", messageId);
    message.addProperty("publishTime", publishTime.toString());
    if (!attributes.isEmpty()) {
      JsonObject a = new JsonObject();
      attributes.forEach(a::addProperty);
      message.add("attributes", a);
    }
    JsonObject payload = new JsonObject();
    payload.add("message", message);
    payload.addProperty(
        "subscription", "projects/" + PubSubEmulator.PROJECT + "/subscriptions/" + subscription);
    String source = "//pubsub.googleapis.com/" + topicName;
    String type = "google.cloud.pubsub.topic.v1.messagePublished";
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10));
    if (mode == Mode.BINARY) {
      b.header("ce-specversion", "1.0")
          .header("ce-id", messageId)
          .header("ce-source", source)
          .header("ce-type", type)
          .header("ce-time", Instant.now().toString())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(payload.toString()));
    } else {
      JsonObject event = new JsonObject();
      event.addProperty("specversion", "1.0");
      event.addProperty("id", messageId);
      event.addProperty("source", source);
      event.addProperty("type", type);
      event.addProperty("time", Instant.now().toString());
      event.addProperty("datacontenttype", "application/json");
      event.add("data", payload);
      b.header("Content-Type", "application/cloudevents+json")
          .POST(HttpRequest.BodyPublishers.ofString(event.toString()));
    }
    return b.build();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
