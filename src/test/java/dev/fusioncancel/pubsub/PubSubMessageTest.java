package dev.fusioncancel.pubsub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.bulk.BulkRequestJson;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PubSubMessageTest {
  private static final String TOPIC = "projects/proj-a/topics/bulk-cancel";
  private static final String DATA = b64("{\"operations\":[]}");

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static CloudEvent event(String body) {
    return event(body.getBytes(StandardCharsets.UTF_8));
  }

  private static CloudEvent event(byte[] body) {
    return CloudEventBuilder.v1()
        .withId("ce-1")
        .withSource(URI.create("//pubsub.googleapis.com/" + TOPIC))
        .withType("google.cloud.pubsub.topic.v1.messagePublished")
        .withTime(OffsetDateTime.parse("2026-11-26T10:00:00Z"))
        .withDataContentType("application/json")
        .withData(body)
        .build();
  }

  @Test
  void decode_eventarcEnvelope_readsEveryField() throws Exception {
    PubSubMessage m =
        PubSubMessage.decode(
            event(
                "{\"message\":{\"attributes\":{\"k\":\"v\"},\"data\":\""
                    + DATA
                    + "\",\"messageId\":\"42\",\"message_id\":\"42\","
                    + "\"publishTime\":\"2026-11-26T11:59:58.123Z\","
                    + "\"publish_time\":\"2026-11-26T11:59:58.123Z\",\"orderingKey\":\"\"},"
                    + "\"subscription\":\"projects/proj-a/subscriptions/s\"}"));
    assertEquals("42", m.messageId());
    assertArrayEquals("{\"operations\":[]}".getBytes(StandardCharsets.UTF_8), m.data());
    assertEquals(Map.of("k", "v"), m.attributes());
    assertEquals(Optional.of(Instant.parse("2026-11-26T11:59:58.123Z")), m.publishTime());
    assertEquals(Optional.of(TOPIC), m.triggerTopic());
  }

  @Test
  void decode_noPublishTime_orAnUnreadableOne_usesTheEventTime() throws Exception {
    Instant eventTime = Instant.parse("2026-11-26T10:00:00Z");
    assertEquals(
        Optional.of(eventTime),
        PubSubMessage.decode(event("{\"message\":{\"data\":\"" + DATA + "\"}}")).publishTime());
    assertEquals(
        Optional.of(eventTime),
        PubSubMessage.decode(
                event("{\"message\":{\"data\":\"" + DATA + "\",\"publishTime\":\"yesterday\"}}"))
            .publishTime());
  }

  @Test
  void decode_noMessageId_usesTheCloudEventId() throws Exception {
    assertEquals(
        "ce-1",
        PubSubMessage.decode(event("{\"message\":{\"data\":\"" + DATA + "\"}}")).messageId());
  }

  @Test
  void triggerTopic_onlyFromAPubSubSource() {
    assertEquals(
        Optional.of("projects/p/topics/t"),
        PubSubMessage.triggerTopic("//pubsub.googleapis.com/projects/p/topics/t"));
    assertEquals(Optional.empty(), PubSubMessage.triggerTopic("//storage.googleapis.com/x"));
    assertEquals(Optional.empty(), PubSubMessage.triggerTopic(null));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "duplicate message|{'message':{'data':'e30='},'message':{'data':'e30='}}|ce-1|appears twice",
        "duplicate data|{'message':{'messageId':'7','data':'e30=','data':'e30='}}|7|appears twice",
        "duplicate attribute|{'message':{'messageId':'7','data':'e30=','attributes':{'a':'1','a':'2'}}}|7|appears twice",
        "spellings disagree|{'message':{'messageId':'7','message_id':'8','data':'e30='}}|7|disagrees",
        "bad base64|{'message':{'messageId':'7','data':'e30=!'}}|7|not valid base64",
        "url-safe base64|{'message':{'messageId':'7','data':'-_-_'}}|7|not valid base64",
        "data not a string|{'message':{'messageId':'7','data':{}}}|7|must be a string",
        "attribute not a string|{'message':{'messageId':'7','data':'e30=','attributes':{'a':1}}}|7|must be a string",
        "no data|{'message':{'messageId':'7'}}|7|has no data",
        "no message|{'subscription':'s'}|ce-1|no Pub/Sub message",
        "message not an object|{'message':[]}|ce-1|must be an object",
        "not an object|[]|ce-1|not a JSON object",
        "not JSON|{'message':|ce-1|not a Pub/Sub messagePublished body",
        "trailing data|{'message':{'data':'e30='}} x|ce-1|not a Pub/Sub messagePublished body",
        "lenient JSON|{message:{data:'e30='}}|ce-1|not a Pub/Sub messagePublished body",
      })
  void decode_malformedEnvelope_isRefusedNamingWhy(
      String label, String body, String id, String why) {
    String json = label.equals("lenient JSON") ? body : body.replace('\'', '"');
    InvalidMessageException e =
        assertThrows(InvalidMessageException.class, () -> PubSubMessage.decode(event(json)));
    assertEquals(id, e.messageId());
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }

  @Test
  void decode_invalidUtf8_isRefused() {
    byte[] body = {'{', '"', (byte) 0xc3, '"', ':', '1', '}'};
    InvalidMessageException e =
        assertThrows(InvalidMessageException.class, () -> PubSubMessage.decode(event(body)));
    assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
  }

  @Test
  void decode_noData_isRefused() {
    CloudEvent none =
        CloudEventBuilder.v1()
            .withId("ce-9")
            .withSource(URI.create("//pubsub.googleapis.com/" + TOPIC))
            .withType("t")
            .build();
    InvalidMessageException e =
        assertThrows(InvalidMessageException.class, () -> PubSubMessage.decode(none));
    assertEquals("ce-9", e.messageId());
  }

  @Test
  void decode_dataOverTheOneLimit_isRefusedNamingTheLimit() {
    int over = BulkRequestJson.MAX_BYTES + 3;
    String data = "A".repeat((over + 2) / 3 * 4);
    InvalidMessageException e =
        assertThrows(
            InvalidMessageException.class,
            () ->
                PubSubMessage.decode(
                    event("{\"message\":{\"messageId\":\"7\",\"data\":\"" + data + "\"}}")));
    assertEquals("7", e.messageId());
    assertTrue(e.getMessage().contains(BulkRequestJson.LIMIT), e.getMessage());
  }

  @Test
  void decode_eventDataOverTheEnvelopeLimit_isRefusedNamingTheLimit() {
    byte[] body = new byte[PubSubMessage.MAX_EVENT_BYTES + 1];
    java.util.Arrays.fill(body, (byte) ' ');
    InvalidMessageException e =
        assertThrows(InvalidMessageException.class, () -> PubSubMessage.decode(event(body)));
    assertTrue(e.getMessage().contains(BulkRequestJson.LIMIT), e.getMessage());
  }

  @Test
  void decode_dataAtTheLimit_isRead() throws Exception {
    byte[] data = new byte[BulkRequestJson.MAX_BYTES];
    String body = "{\"message\":{\"data\":\"" + Base64.getEncoder().encodeToString(data) + "\"}}";
    assertEquals(BulkRequestJson.MAX_BYTES, PubSubMessage.decode(event(body)).data().length);
  }
}
