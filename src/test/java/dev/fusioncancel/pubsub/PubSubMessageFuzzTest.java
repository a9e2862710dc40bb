package dev.fusioncancel.pubsub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.testing.FuzzJson;
import dev.fusioncancel.testing.FuzzText;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the Pub/Sub envelope, delivered as the Functions Framework receives
 * it: the same envelope in binary mode ({@code ce-*} headers, the envelope as the body) and in
 * structured mode ({@code application/cloudevents+json}), decoded into a CloudEvent by the
 * CloudEvents HTTP reader the invoker uses. {@link PubSubMessage#decode} refuses with {@link
 * InvalidMessageException} (naming a message id) or returns exactly the message's data, id and
 * attributes; an envelope binary mode accepts decodes to the same message in structured mode.
 */
class PubSubMessageFuzzTest {
  private static final String[] ENVELOPE = {"message", "subscription"};
  private static final String[] MESSAGE = {
    "data", "messageId", "message_id", "publishTime", "publish_time", "attributes", "orderingKey"
  };
  private static final String[] REQUESTS = {
    "{\"operations\":[\"projects/my-project/locations/l/operations/o\"]}",
    "{\"parents\":[\"projects/my-project/locations/-\"],\"olderThan\":\"6h\"}",
    "{}",
    "",
    "\u0000"
  };
  private static final String[] TIMES = {
    "2026-11-26T11:59:58.123Z", "2026-11-26T11:59:58+01:00", "yesterday", "", "2026-11-26T11:59:58"
  };

  @FuzzTest(maxDuration = "30s")
  void decode_refusesNamingAMessageIdOrGivesTheMessage_sameInBinaryAndStructuredMode(
      FuzzedDataProvider data) {
    String id = data.pickValue(new String[] {"ce-1", "42", "x"});
    String source =
        data.pickValue(
            new String[] {
              "//pubsub.googleapis.com/projects/proj-a/topics/bulk-cancel",
              "//storage.googleapis.com/b",
              "x"
            });
    String envelope =
        data.consumeInt(0, 7) == 0
            ? data.consumeString(500)
            : FuzzJson.members(
                data,
                ENVELOPE,
                (d, key) ->
                    key.equals("message")
                        ? FuzzJson.members(d, MESSAGE, PubSubMessageFuzzTest::messageField)
                        : FuzzJson.value(d, 1, ENVELOPE, FuzzText.OPERATIONS));

    CloudEvent binary = binary(id, source, envelope);
    PubSubMessage message;
    try {
      message = PubSubMessage.decode(binary);
    } catch (InvalidMessageException refused) {
      assertFalse(refused.messageId() == null || refused.messageId().isEmpty());
      assertFalse(refused.getMessage() == null || refused.getMessage().isBlank());
      return;
    }
    // An independent (lenient) reading of the envelope agrees with what was decoded.
    JsonObject m = JsonParser.parseString(envelope).getAsJsonObject().getAsJsonObject("message");
    assertArrayEquals(Base64.getDecoder().decode(m.get("data").getAsString()), message.data());
    String expectedId =
        text(m, "messageId") != null && !text(m, "messageId").isEmpty()
            ? text(m, "messageId")
            : text(m, "message_id") != null && !text(m, "message_id").isEmpty()
                ? text(m, "message_id")
                : id;
    assertEquals(expectedId, message.messageId());
    assertEquals(PubSubMessage.triggerTopic(source), message.triggerTopic());
    assertTrue(message.data().length <= dev.fusioncancel.bulk.BulkRequestJson.MAX_BYTES);

    CloudEvent structured = structured(id, source, envelope);
    PubSubMessage again;
    try {
      again = PubSubMessage.decode(structured);
    } catch (InvalidMessageException e) {
      throw new AssertionError("binary mode accepted, structured mode refused: " + e.getMessage());
    }
    assertEquals(message.messageId(), again.messageId());
    assertArrayEquals(message.data(), again.data());
    assertEquals(message.attributes(), again.attributes());
    assertEquals(message.publishTime(), again.publishTime());
    assertEquals(message.triggerTopic(), again.triggerTopic());
  }

  private static String messageField(FuzzedDataProvider d, String key) {
    if (d.consumeInt(0, 9) == 0) {
      return FuzzJson.value(d, 1, MESSAGE, REQUESTS);
    }
    return switch (key) {
      case "data" -> {
        String request = d.consumeBoolean() ? d.pickValue(REQUESTS) : d.consumeString(60);
        String b64 = Base64.getEncoder().encodeToString(request.getBytes(StandardCharsets.UTF_8));
        yield FuzzJson.string(
            d,
            switch (d.consumeInt(0, 9)) {
              case 0 -> b64.replace('+', '-').replace('/', '_');
              case 1 -> b64 + d.pickValue(new String[] {"=", "!", " ", "\n", "A"});
              case 2 -> b64.replace("=", "");
              default -> b64;
            });
      }
      case "messageId", "message_id" ->
          FuzzJson.string(d, d.pickValue(new String[] {"42", "43", ""}));
      case "publishTime", "publish_time" -> FuzzJson.string(d, d.pickValue(TIMES));
      case "attributes" ->
          d.consumeInt(0, 5) == 0
              ? "null"
              : FuzzJson.members(
                  d,
                  new String[] {"a", "b", "type"},
                  (dd, k) -> FuzzJson.string(dd, dd.consumeString(8)));
      default -> FuzzJson.string(d, d.consumeString(8));
    };
  }

  private static String text(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e == null || !e.isJsonPrimitive() ? null : e.getAsString();
  }

  private static CloudEvent binary(String id, String source, String envelope) {
    return HttpMessageFactory.createReader(
            Map.of(
                "ce-specversion", "1.0",
                "ce-id", id,
                "ce-source", source,
                "ce-type", "google.cloud.pubsub.topic.v1.messagePublished",
                "ce-time", "2026-11-26T10:00:00Z",
                "content-type", "application/json"),
            envelope.getBytes(StandardCharsets.UTF_8))
        .toEvent();
  }

  private static CloudEvent structured(String id, String source, String envelope) {
    JsonObject ce = new JsonObject();
    ce.addProperty("specversion", "1.0");
    ce.addProperty("id", id);
    ce.addProperty("source", source);
    ce.addProperty("type", "google.cloud.pubsub.topic.v1.messagePublished");
    ce.addProperty("time", "2026-11-26T10:00:00Z");
    ce.addProperty("datacontenttype", "application/json");
    ce.add("data", JsonParser.parseString(envelope));
    return HttpMessageFactory.createReader(
            Map.of("content-type", "application/cloudevents+json"),
            ce.toString().getBytes(StandardCharsets.UTF_8))
        .toEvent();
  }
}
