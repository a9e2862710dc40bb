package dev.fusioncancel.pubsub;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.fusioncancel.bulk.BulkRequestJson;
import dev.fusioncancel.json.StrictJsonReader;
import dev.fusioncancel.json.StrictUtf8;
import dev.fusioncancel.log.Abbreviation;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Pub/Sub message, decoded from the {@code google.cloud.pubsub.topic.v1.messagePublished}
 * CloudEvent (binary or structured mode give the same {@link CloudEvent}): {@code {"message":
 * {"data", "attributes", "messageId", "publishTime", ...}, "subscription"}}.
 *
 * <p>Why not {@code com.google.cloud:google-cloudevent-types} ({@code MessagePublishedData}): its
 * reader is protobuf's {@code JsonFormat} over a Gson tree, so a duplicated key silently keeps the
 * last value, bytes are accepted in standard or URL-safe base64 alike, and an unknown field is
 * either always refused (so a field Google adds to the envelope would make every request invalid,
 * unretried) or always ignored; it also adds protobuf-java to both deployments' cold start. This
 * reader streams the envelope (no tree of untrusted depth) through {@link StrictJsonReader}, the
 * one strict reader of HTTP bodies and bulk requests too, so it refuses duplicate keys and
 * conflicting spellings ({@code messageId} / {@code message_id}), wrong JSON types, malformed
 * UTF-8, non-standard base64 and anything over {@link #MAX_EVENT_BYTES}; it skips fields it does
 * not know, because Google, not the sender, writes the envelope. The request inside is then read by
 * {@link BulkRequestJson}, strict about everything.
 *
 * @param data the message data, at most {@link BulkRequestJson#MAX_BYTES} (a record over an array:
 *     compare {@code data} with {@link java.util.Arrays#equals(byte[], byte[])})
 * @param publishTime {@code message.publishTime}, else the CloudEvent {@code time}, else empty: the
 *     request's reference time, the same on every delivery of the message
 * @param triggerTopic the topic the message came from (CloudEvent {@code source}), where a
 *     follow-up goes
 */
public record PubSubMessage(
    String messageId,
    byte[] data,
    Map<String, String> attributes,
    Optional<Instant> publishTime,
    Optional<String> triggerTopic) {

  /**
   * The largest event data read: the base64 of a request of {@link BulkRequestJson#MAX_BYTES}, plus
   * 1 MiB for the envelope and attributes (Pub/Sub allows 100 of up to 1,280 bytes each).
   */
  public static final int MAX_EVENT_BYTES = base64Length(BulkRequestJson.MAX_BYTES) + (1 << 20);

  private static final Pattern PUBSUB_SOURCE =
      Pattern.compile("//pubsub\\.googleapis\\.com/(projects/[^/]+/topics/[^/]+)");

  public PubSubMessage {
    attributes = Map.copyOf(attributes);
  }

  /**
   * Decodes the event.
   *
   * @throws InvalidMessageException with a message fit for the error summary
   */
  public static PubSubMessage decode(CloudEvent event) throws InvalidMessageException {
    String eventId = event.getId() == null || event.getId().isEmpty() ? "unknown" : event.getId();
    Optional<String> topic =
        triggerTopic(event.getSource() == null ? null : event.getSource().toString());
    if (event.getData() == null) {
      throw new InvalidMessageException(eventId, "the event has no data");
    }
    byte[] bytes = event.getData().toBytes();
    if (bytes.length > MAX_EVENT_BYTES) {
      throw new InvalidMessageException(
          eventId,
          "the event data is "
              + bytes.length
              + " bytes, more than a bulk request of at most "
              + BulkRequestJson.LIMIT
              + " needs");
    }
    String text =
        StrictUtf8.decode(bytes)
            .orElseThrow(
                () -> new InvalidMessageException(eventId, "the event data is not valid UTF-8"));
    Fields f = new Fields();
    try (JsonReader in = new StrictJsonReader(text)) {
      readEnvelope(in, f);
      if (in.peek() != JsonToken.END_DOCUMENT) {
        throw new Refusal("unexpected content after the envelope");
      }
    } catch (Refusal | StrictJsonReader.DuplicateFieldException e) {
      throw new InvalidMessageException(f.messageIdOr(eventId), e.getMessage());
    } catch (IOException | IllegalStateException | NumberFormatException | StackOverflowError e) {
      throw new InvalidMessageException(
          f.messageIdOr(eventId), "the event data is not a Pub/Sub messagePublished body");
    }
    if (!f.sawMessage) {
      throw new InvalidMessageException(eventId, "the event data has no Pub/Sub message");
    }
    String messageId = f.messageIdOr(eventId);
    if (f.data == null) {
      throw new InvalidMessageException(messageId, "the Pub/Sub message has no data");
    }
    if (f.data.length() > base64Length(BulkRequestJson.MAX_BYTES)) {
      throw new InvalidMessageException(
          messageId, "the message data is over the limit of " + BulkRequestJson.LIMIT);
    }
    byte[] data;
    try {
      data = Base64.getDecoder().decode(f.data);
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException(
          messageId, "the Pub/Sub message data is not valid base64: " + e.getMessage());
    }
    Optional<Instant> published = rfc3339(f.publishTime);
    if (published.isEmpty() && event.getTime() != null) {
      published = Optional.of(event.getTime().toInstant());
    }
    return new PubSubMessage(messageId, data, f.attributes, published, topic);
  }

  /** {@code //pubsub.googleapis.com/projects/P/topics/T} gives {@code projects/P/topics/T}. */
  public static Optional<String> triggerTopic(String source) {
    if (source == null) {
      return Optional.empty();
    }
    Matcher m = PUBSUB_SOURCE.matcher(source);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** An RFC 3339 time, or empty when absent or unreadable (the event time is used then). */
  private static Optional<Instant> rfc3339(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static int base64Length(int bytes) {
    return (bytes + 2) / 3 * 4;
  }

  private static void readEnvelope(JsonReader in, Fields f) throws IOException, Refusal {
    if (in.peek() != JsonToken.BEGIN_OBJECT) {
      throw new Refusal("the event data is not a JSON object");
    }
    in.beginObject();
    while (in.hasNext()) {
      String name = in.nextName();
      if (name.equals("message")) {
        if (in.peek() != JsonToken.BEGIN_OBJECT) {
          throw new Refusal("'message' must be an object");
        }
        f.sawMessage = true;
        readMessage(in, f);
      } else {
        in.skipValue(); // subscription, and whatever Google adds
      }
    }
    in.endObject();
  }

  private static void readMessage(JsonReader in, Fields f) throws IOException, Refusal {
    in.beginObject();
    while (in.hasNext()) {
      String name = in.nextName();
      switch (name) {
        case "data" -> f.data = string(in, name);
        case "messageId", "message_id" -> f.messageId = same(f.messageId, string(in, name), name);
        case "publishTime", "publish_time" ->
            f.publishTime = same(f.publishTime, string(in, name), name);
        case "attributes" -> readAttributes(in, f.attributes);
        default -> in.skipValue(); // orderingKey and whatever Google adds
      }
    }
    in.endObject();
  }

  private static void readAttributes(JsonReader in, Map<String, String> into)
      throws IOException, Refusal {
    if (in.peek() == JsonToken.NULL) {
      in.nextNull();
      return;
    }
    if (in.peek() != JsonToken.BEGIN_OBJECT) {
      throw new Refusal("'message.attributes' must be an object of strings");
    }
    in.beginObject();
    while (in.hasNext()) {
      String key = in.nextName();
      into.put(key, string(in, "message.attributes." + Abbreviation.abbreviate(key, 60)));
    }
    in.endObject();
  }

  private static String same(String before, String now, String name) throws Refusal {
    if (before != null && !before.equals(now)) {
      throw new Refusal("'message." + name + "' disagrees with its other spelling");
    }
    return now;
  }

  private static String string(JsonReader in, String name) throws IOException, Refusal {
    if (in.peek() != JsonToken.STRING) {
      throw new Refusal("'" + name + "' must be a string");
    }
    return in.nextString();
  }

  /** What the streaming reader found so far (the message id is known early for the summary). */
  private static final class Fields {
    boolean sawMessage;
    String data;
    String messageId;
    String publishTime;
    final Map<String, String> attributes = new LinkedHashMap<>();

    String messageIdOr(String fallback) {
      return messageId == null || messageId.isEmpty() ? fallback : messageId;
    }
  }

  /** A refusal inside the reader; becomes an {@link InvalidMessageException}. */
  private static final class Refusal extends Exception {
    Refusal(String message) {
      super(message, null, false, false);
    }
  }
}
