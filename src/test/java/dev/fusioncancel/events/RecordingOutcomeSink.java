package dev.fusioncancel.events;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory sink for tests: records every message; can be told to fail every publish. */
public final class RecordingOutcomeSink implements OutcomeSink, TopicSinks {
  /** One recorded message. */
  public record Message(String topic, String data, Map<String, String> attributes) {
    public JsonObject json() {
      return JsonParser.parseString(data).getAsJsonObject();
    }
  }

  private final String topic;
  private final List<Message> messages;
  private final AtomicInteger ids;
  private volatile boolean failing;

  public RecordingOutcomeSink() {
    this("outcomes", new ArrayList<>(), new AtomicInteger());
  }

  private RecordingOutcomeSink(String topic, List<Message> messages, AtomicInteger ids) {
    this.topic = topic;
    this.messages = messages;
    this.ids = ids;
  }

  /** Makes every later publish fail. */
  public RecordingOutcomeSink failing() {
    failing = true;
    return this;
  }

  /** Makes later publishes succeed again (e.g. for a redelivery). */
  public RecordingOutcomeSink healthy() {
    failing = false;
    return this;
  }

  @Override
  public CompletableFuture<String> publish(String data, Map<String, String> attributes) {
    if (failing) {
      return CompletableFuture.failedFuture(new IllegalStateException("scripted publish failure"));
    }
    synchronized (messages) {
      messages.add(new Message(topic, data, Map.copyOf(attributes)));
    }
    return CompletableFuture.completedFuture("m" + ids.incrementAndGet());
  }

  /** Another topic recorded into the same list (for follow-ups). */
  @Override
  public OutcomeSink forTopic(String other) {
    RecordingOutcomeSink s = new RecordingOutcomeSink(other, messages, ids);
    s.failing = failing;
    return s;
  }

  /** Everything published, to any topic. */
  public List<Message> all() {
    synchronized (messages) {
      return List.copyOf(messages);
    }
  }

  /** What was published to one topic. */
  public List<Message> on(String t) {
    return all().stream().filter(m -> m.topic().equals(t)).toList();
  }

  /** The outcome events (not summaries) published to this sink's topic. */
  public List<Message> outcomeEvents() {
    return on(topic).stream().filter(m -> !m.attributes().containsKey("type")).toList();
  }

  /** The summaries published to this sink's topic. */
  public List<Message> summaries() {
    return on(topic).stream().filter(m -> "summary".equals(m.attributes().get("type"))).toList();
  }
}
