package dev.fusioncancel.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one mapping table between HTTP, google.rpc codes and system parameters, at its edges. */
class RpcMappingTest {

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
    "199, UNKNOWN",
    "200, OK",
    "201, OK",
    "299, OK",
    "300, UNKNOWN",
    "400, INVALID_ARGUMENT",
    "418, UNKNOWN",
    "499, CANCELLED",
    "500, INTERNAL",
    "503, UNAVAILABLE",
    "505, INTERNAL",
    "599, INTERNAL"
  })
  void ofHttpStatus_mapsEveryRangeAtItsEdges(int http, Code code) {
    assertEquals(code, Code.ofHttpStatus(http));
  }

  @Test
  void ofNumber_findsTheCodeWithThatNumber_only() {
    assertEquals(Optional.of(Code.CANCELLED), Code.ofNumber(1));
    assertEquals(Optional.of(Code.OK), Code.ofNumber(0));
    assertEquals(Optional.empty(), Code.ofNumber(99));
    assertEquals(Optional.empty(), Code.ofNumber(-1));
  }

  @Test
  void toJson_isTheGoogleRestErrorEnvelope() {
    RpcStatus s = new RpcStatus(Code.NOT_FOUND, "no such operation");
    JsonObject error = s.toJson().getAsJsonObject("error");
    assertEquals(404, error.get("code").getAsInt());
    assertEquals("NOT_FOUND", error.get("status").getAsString());
    assertEquals("no such operation", error.get("message").getAsString());
    assertEquals(s.toJson(), JsonParser.parseString(s.toJsonString()));
    assertEquals("", new RpcStatus(Code.OK, null).message());
    assertThrows(IllegalArgumentException.class, () -> new RpcStatus(null, "m"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"error\":{\"status\":\"NOT_FOUND\"}}",
        "{\"error\":{\"status\":\"NOT_FOUND\",\"message\":{\"a\":1}}}",
        "{\"error\":{\"status\":\"NOT_FOUND\",\"message\":null}}"
      })
  void fromHttp_withoutAStringMessage_saysTheHttpStatus(String body) {
    RpcStatus s = RpcStatus.fromHttp(404, body);
    assertEquals(Code.NOT_FOUND, s.code());
    assertEquals("HTTP 404", s.message());
  }

  @Test
  void fromHttp_readsTheBodysMessage() {
    assertEquals(
        "gone",
        RpcStatus.fromHttp(404, "{\"error\":{\"status\":\"NOT_FOUND\",\"message\":\"gone\"}}")
            .message());
  }

  @ParameterizedTest
  @CsvSource({
    "key, true",
    "$key, true",
    "access_token, true",
    "oauth_token, true",
    "alt, false",
    "$alt, false",
    "x, false",
    "$x, false"
  })
  void isSecret_onlyForCredentialParameters_inEverySpelling(String name, boolean secret) {
    assertEquals(secret, SystemParameters.isSecret(name));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "prettyPrint=false|false",
        "prettyPrint=0|false",
        "prettyPrint=TRUE|true",
        "prettyPrint=1|true",
        "prettyPrint|true",
        "$prettyPrint=false|false",
        "alt=json|true"
      })
  void prettyPrint_readsEveryDocumentedValue(String query, boolean pretty) {
    assertEquals(pretty, SystemParameters.parse(query).prettyPrint());
  }

  @Test
  void parse_refusesAnUnservablePrettyPrint_andKeepsOtherParameters() {
    assertThrows(IllegalArgumentException.class, () -> SystemParameters.parse("prettyPrint=yes"));
    assertEquals(Map.of("", "x"), SystemParameters.parse("=x").others());
    assertEquals(Map.of("a", ""), SystemParameters.parse("a").others());
    assertEquals(Map.of("a b", "c"), SystemParameters.parse("a%20b=c&&alt=json").others());
    assertFalse(
        SystemParameters.parse("prettyPrint=false&prettyPrint=true")
            .others()
            .containsKey("prettyPrint"));
    assertTrue(SystemParameters.parse(null).others().isEmpty());
  }
}
