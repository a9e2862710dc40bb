package dev.fusioncancel.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.name.LocationName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BulkRequestJsonTest {
  private static final String OP = "projects/proj-a/locations/us-central1/operations/op1";
  private static final String PARENT = "projects/proj-a/locations/us-central1";

  @Test
  void parse_fullRequest_readsEveryField() throws Exception {
    BulkRequest r =
        BulkRequestJson.parse(
            """
            {"operations": ["%s", "%s", "bad name"],
             "parents": ["%s"], "olderThan": "6h", "verbs": ["update", "restart"],
             "targets": ["projects/proj-a/locations/us-central1/instances/i1"],
             "limit": 500, "dryRun": true, "wait": "PT20S"}
            """
                .formatted(OP, OP, PARENT));
    assertEquals(List.of(OP, "bad name"), r.operations(), "duplicates removed, invalid kept");
    assertEquals(List.of(LocationName.parse(PARENT)), r.parents());
    assertEquals(Optional.of(Duration.ofHours(6)), r.olderThan());
    assertEquals(List.of("update", "restart"), r.verbs());
    assertEquals(500, r.limit());
    assertTrue(r.dryRun());
    assertEquals(Duration.ofSeconds(20), r.waitFor());
    assertEquals(Optional.empty(), r.continuation());
  }

  @Test
  void parse_minimalRequest_usesDefaults() throws Exception {
    BulkRequest r = BulkRequestJson.parse("{\"parents\":[\"" + PARENT + "\"]}");
    assertEquals(1000, r.limit());
    assertEquals(Duration.ofSeconds(30), r.waitFor());
    assertEquals(Optional.empty(), r.olderThan());
    assertEquals(false, r.dryRun());
  }

  @Test
  void toJson_followUp_roundTrips() throws Exception {
    BulkRequest original =
        BulkRequestJson.parse(
            "{\"parents\":[\"" + PARENT + "\"],\"olderThan\":\"1d\",\"verbs\":[\"update\"]}");
    Instant published = Instant.parse("2026-11-26T11:59:58.123456Z");
    BulkRequest next = original.followUp("12345", List.of(OP), published);
    BulkRequest back = BulkRequestJson.parse(BulkRequestJson.toJson(next).toString());
    assertEquals(next, back);
    assertEquals(List.of(), back.parents());
    assertEquals("12345", back.requestIdOr("other"));
    assertEquals(2, back.part());
    assertEquals(Optional.of(published), back.continuation().get().since());
    assertEquals(published, back.referenceTime(Instant.parse("2026-11-26T13:00:00Z")));
    BulkRequest third = back.followUp("12345", List.of(OP), Instant.parse("2026-11-26T13:00:00Z"));
    assertEquals(
        Optional.of(published), third.continuation().get().since(), "parts keep the original's");
  }

  @Test
  void parse_continuationSince_readsRfc3339WithOffset() throws Exception {
    String ops = "\"operations\":[\"" + OP + "\"]";
    BulkRequest r =
        BulkRequestJson.parse(
            "{"
                + ops
                + ",\"continuation\":{\"requestId\":\"r\",\"part\":2,"
                + "\"since\":\"2026-11-26T13:00:00.5+01:00\"}}");
    assertEquals(
        Optional.of(Instant.parse("2026-11-26T12:00:00.5Z")), r.continuation().get().since());
    assertEquals(
        Instant.parse("2026-11-26T12:00:00.5Z"),
        r.referenceTime(Instant.parse("2030-01-01T00:00:00Z")));
  }

  /**
   * Fuzzing finding {@code finding-since-before-year-0000} (BulkRequestJsonFuzzTestInputs): an
   * offset moved {@code since} out of RFC 3339's years, so the follow-up message written from the
   * request ({@code -0001-12-31T06:00:00Z}) was refused. Such a time is refused on input.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"0000-01-01T00:00:00+18:00", "9999-12-31T23:59:59-18:00"})
  void parse_sinceOutsideYears0000To9999InUtc_isRefused_findingSinceBeforeYear0000(String since) {
    String json =
        "{\"operations\":[\"x\"],\"continuation\":{\"requestId\":\"r\",\"part\":2,"
            + "\"since\":\""
            + since
            + "\"}}";
    InvalidRequestException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidRequestException.class, () -> BulkRequestJson.parse(json));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("continuation.since"), e.getMessage());
  }

  @Test
  void parse_sinceAtTheEdgesOfYears0000To9999_roundTrips() throws Exception {
    for (String since : new String[] {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z"}) {
      BulkRequest r =
          BulkRequestJson.parse(
              "{\"operations\":[\"x\"],\"continuation\":{\"requestId\":\"r\",\"part\":2,"
                  + "\"since\":\""
                  + since
                  + "\"}}");
      assertEquals(r, BulkRequestJson.parse(BulkRequestJson.toJson(r).toString()));
    }
  }

  @Test
  void parse_continuationWithoutSince_usesThePublishTime() throws Exception {
    BulkRequest r =
        BulkRequestJson.parse(
            "{\"operations\":[\"" + OP + "\"],\"continuation\":{\"requestId\":\"r\",\"part\":2}}");
    assertEquals(Optional.empty(), r.continuation().get().since());
    Instant published = Instant.parse("2026-11-26T12:00:00Z");
    assertEquals(published, r.referenceTime(published));
  }

  static Stream<Arguments> invalid() {
    String ops = "\"operations\":[\"" + OP + "\"]";
    return Stream.of(
        Arguments.of("unknown field (typo)", "{" + ops + ",\"olderthan\":\"6h\"}", "olderthan"),
        Arguments.of("missing both", "{\"olderThan\":\"6h\"}", "required"),
        Arguments.of("both empty", "{\"operations\":[],\"parents\":[]}", "required"),
        Arguments.of("not an object", "[\"" + OP + "\"]", "JSON object"),
        Arguments.of("operations is a string", "{\"operations\":\"" + OP + "\"}", "array"),
        Arguments.of("operations holds a number", "{\"operations\":[1]}", "strings"),
        Arguments.of("operations holds null", "{\"operations\":[null]}", "strings"),
        Arguments.of("limit is a string", "{" + ops + ",\"limit\":\"5\"}", "whole number"),
        Arguments.of("limit zero", "{" + ops + ",\"limit\":0}", "1 to 10000"),
        Arguments.of("limit negative", "{" + ops + ",\"limit\":-3}", "1 to 10000"),
        Arguments.of("limit huge", "{" + ops + ",\"limit\":1e12}", "1 to 10000"),
        Arguments.of("limit fractional", "{" + ops + ",\"limit\":2.5}", "1 to 10000"),
        Arguments.of("dryRun is a string", "{" + ops + ",\"dryRun\":\"true\"}", "true or false"),
        Arguments.of("bad duration", "{" + ops + ",\"olderThan\":\"6 hours\"}", "olderThan"),
        Arguments.of("negative duration", "{" + ops + ",\"wait\":\"-5s\"}", "wait"),
        Arguments.of("duration as number", "{" + ops + ",\"wait\":30}", "duration string"),
        Arguments.of("bad parent", "{\"parents\":[\"projects/P/locations/x\"]}", "parents"),
        Arguments.of("parent with extra", "{\"parents\":[\"" + PARENT + "/x\"]}", "parents"),
        Arguments.of("empty verb", "{" + ops + ",\"verbs\":[\"\"]}", "empty entry"),
        Arguments.of("duplicate field", "{" + ops + "," + ops + "}", "twice"),
        Arguments.of("trailing content", "{" + ops + "} {}", "not valid JSON (at line 1"),
        Arguments.of("not JSON", "cancel everything", "JSON"),
        Arguments.of("lenient JSON", "{operations:['" + OP + "']}", "JSON"),
        Arguments.of("unknown continuation field", "{" + ops + ",\"continuation\":{\"x\":1}}", "x"),
        Arguments.of(
            "continuation since is a number",
            "{" + ops + ",\"continuation\":{\"requestId\":\"r\",\"part\":2,\"since\":1}}",
            "continuation.since"),
        Arguments.of(
            "continuation since without offset",
            "{"
                + ops
                + ",\"continuation\":{\"requestId\":\"r\",\"part\":2,"
                + "\"since\":\"2026-11-26T12:00:00\"}}",
            "continuation.since"),
        Arguments.of(
            "continuation since without seconds",
            "{"
                + ops
                + ",\"continuation\":{\"requestId\":\"r\",\"part\":2,"
                + "\"since\":\"2026-11-26T12:00Z\"}}",
            "continuation.since"),
        Arguments.of(
            "continuation since not a date",
            "{"
                + ops
                + ",\"continuation\":{\"requestId\":\"r\",\"part\":2,"
                + "\"since\":\"2026-13-45T12:00:00Z\"}}",
            "continuation.since"),
        Arguments.of(
            "continuation since is null",
            "{" + ops + ",\"continuation\":{\"requestId\":\"r\",\"part\":2,\"since\":null}}",
            "continuation.since"),
        Arguments.of(
            "continuation since twice",
            "{"
                + ops
                + ",\"continuation\":{\"requestId\":\"r\",\"part\":2,"
                + "\"since\":\"2026-11-26T12:00:00Z\",\"since\":\"2026-11-26T12:00:00Z\"}}",
            "twice"),
        Arguments.of(
            "continuation part 1",
            "{" + ops + ",\"continuation\":{\"requestId\":\"r\",\"part\":1}}",
            "part"),
        Arguments.of(
            "deeply nested value", "{\"operations\":" + "[".repeat(100_000) + "}", "strings"),
        Arguments.of("deeply nested root", "[".repeat(100_000), "JSON object"),
        Arguments.of(
            "deep nesting under unknown field",
            "{\"x\":" + "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_001),
            "unknown field"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void parse_invalidRequest_isRefusedWithClearMessage(String label, String json, String expected) {
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> BulkRequestJson.parse(json));
    assertTrue(
        e.getMessage().contains(expected), label + ": '" + e.getMessage() + "' lacks " + expected);
  }

  @Test
  void parse_hugeArray_isRefused() {
    StringBuilder b = new StringBuilder("{\"operations\":[");
    for (int i = 0; i <= BulkRequestJson.MAX_ENTRIES; i++) {
      b.append(i == 0 ? "" : ",").append("\"x").append(i).append('"');
    }
    b.append("]}");
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> BulkRequestJson.parse(b.toString()));
    assertTrue(e.getMessage().contains("more than 10000"), e.getMessage());
  }

  @Test
  void parse_maxArray_isAccepted() throws Exception {
    StringBuilder b = new StringBuilder("{\"operations\":[");
    for (int i = 0; i < BulkRequestJson.MAX_ENTRIES; i++) {
      b.append(i == 0 ? "" : ",").append("\"").append(OP).append(i).append('"');
    }
    b.append("]}");
    assertEquals(10_000, BulkRequestJson.parse(b.toString()).operations().size());
  }

  @Test
  void parse_invalidUtf8_isRefused() {
    byte[] bytes = ("{\"operations\":[\"" + OP + "\u00e9\"]}").getBytes(StandardCharsets.UTF_8);
    byte[] broken = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, broken, 0, bytes.length);
    broken[20] = (byte) 0xC3;
    broken[21] = (byte) 0x28;
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> BulkRequestJson.parse(broken));
    assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
  }

  @Test
  void parse_emptyBytes_isRefused() {
    assertThrows(InvalidRequestException.class, () -> BulkRequestJson.parse(new byte[0]));
  }

  @Test
  void toJson_fullRequest_writesEveryField_andRoundTrips() throws Exception {
    BulkRequest r =
        BulkRequestJson.parse(
            "{\"operations\":[\"x\"],\"parents\":[\"projects/proj-a/locations/l\","
                + "\"projects/proj-b/locations/-\"],\"olderThan\":\"6h\",\"verbs\":[\"update\"],"
                + "\"targets\":[\"t\"],\"limit\":7,\"dryRun\":true,\"wait\":\"5s\","
                + "\"continuation\":{\"requestId\":\"r\",\"part\":3,\"since\":\"2026-11-26T12:00:00Z\"}}");
    com.google.gson.JsonObject json = BulkRequestJson.toJson(r);
    assertEquals(
        java.util.Set.of(
            "operations",
            "parents",
            "olderThan",
            "verbs",
            "targets",
            "limit",
            "dryRun",
            "wait",
            "continuation"),
        json.keySet());
    assertEquals(7, json.get("limit").getAsInt());
    assertEquals(
        "[\"projects/proj-a/locations/l\",\"projects/proj-b/locations/-\"]",
        json.get("parents").toString());
    assertEquals(r, BulkRequestJson.parse(json.toString()));
  }

  @Test
  void toJson_minimalRequest_writesOnlyWhatIsSet() throws Exception {
    com.google.gson.JsonObject json =
        BulkRequestJson.toJson(BulkRequestJson.parse("{\"operations\":[\"x\"]}"));
    assertEquals(java.util.Set.of("operations", "limit", "dryRun", "wait"), json.keySet());
    json =
        BulkRequestJson.toJson(
            BulkRequestJson.parse("{\"parents\":[\"projects/proj-a/locations/l\"]}"));
    assertEquals(java.util.Set.of("parents", "limit", "dryRun", "wait"), json.keySet());
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        "\"limit\":1|true",
        "\"limit\":10000|true",
        "\"limit\":0|false",
        "\"limit\":10001|false",
        "\"continuation\":{\"requestId\":\"r\",\"part\":2}|true",
        "\"continuation\":{\"requestId\":\"r\",\"part\":50}|true",
        "\"continuation\":{\"requestId\":\"r\",\"part\":51}|false",
        "\"continuation\":{\"requestId\":5,\"part\":2}|false",
        "\"continuation\":{\"requestId\":\"r\",\"part\":\"2\"}|false",
        "\"continuation\":{\"requestId\":\"r\",\"part\":2,\"since\":5}|false",
        "\"continuation\":{\"requestId\":\"r\",\"part\":2,\"since\":\"2026-11-26T12:00:00Z\"}|true"
      })
  void parse_boundsAndTypes_atTheirEdges(String field, boolean accepted) {
    String json = "{\"operations\":[\"x\"]," + field + "}";
    if (accepted) {
      org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> BulkRequestJson.parse(json));
    } else {
      assertThrows(InvalidRequestException.class, () -> BulkRequestJson.parse(json));
    }
  }

  @Test
  void parse_continuationRequestIdOf200Characters_isTheLongestAccepted() throws Exception {
    String ok =
        "{\"operations\":[\"x\"],\"continuation\":{\"requestId\":\""
            + "r".repeat(200)
            + "\",\"part\":2}}";
    assertEquals(200, BulkRequestJson.parse(ok).continuation().get().requestId().length());
    assertThrows(
        InvalidRequestException.class, () -> BulkRequestJson.parse(ok.replace("r\",", "rr\",")));
  }

  @Test
  void parse_arrayOfOneMoreThanMaxEntries_isRefused() {
    StringBuilder b = new StringBuilder("{\"operations\":[");
    for (int i = 0; i <= BulkRequestJson.MAX_ENTRIES; i++) {
      b.append(i == 0 ? "" : ",").append("\"").append(OP).append(i).append('"');
    }
    b.append("]}");
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> BulkRequestJson.parse(b.toString()));
    assertTrue(e.getMessage().contains("more than " + BulkRequestJson.MAX_ENTRIES), e.getMessage());
  }

  @Test
  void parse_wrongType_namesWhatWasFound() {
    InvalidRequestException e =
        assertThrows(
            InvalidRequestException.class, () -> BulkRequestJson.parse("{\"operations\":5}"));
    assertTrue(
        e.getMessage().endsWith("must be an array of strings, got a number"), e.getMessage());
  }

  @Test
  void parse_messageOfExactlyMaxBytes_isRead_oneByteMoreIsRefused() throws Exception {
    String request = "{\"operations\":[\"x\"]}";
    byte[] exact =
        (request + " ".repeat(BulkRequestJson.MAX_BYTES - request.length()))
            .getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of("x"), BulkRequestJson.parse(exact).operations());
    byte[] over = java.util.Arrays.copyOf(exact, exact.length + 1);
    over[over.length - 1] = ' ';
    assertThrows(InvalidRequestException.class, () -> BulkRequestJson.parse(over));
  }
}
