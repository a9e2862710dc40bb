package dev.fusioncancel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperationTest {

  private static Operation read(String json) {
    return Operation.fromJson(JsonParser.parseString(json).getAsJsonObject());
  }

  /**
   * Fuzzing finding {@code finding-error-code-string-not-a-number} (UpstreamJsonFuzzTestInputs): a
   * string {@code error.code} that is no number escaped as NumberFormatException, so the whole
   * operation was unreadable. A code that is not a whole int32 is now unknown (2), as documented.
   */
  @ParameterizedTest(name = "error.code {0} reads as {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1|1",
        "\"1\"|1",
        "1.0|1",
        "9|9",
        "\"x\"|2",
        "\"\\\"\"|2",
        "1.5|2",
        "1e400|2",
        "2147483648|2",
        "true|2",
        "null|2",
        "{}|2"
      })
  void fromJson_errorCode_isItsWholeNumberOrUnknown_findingErrorCodeStringNotANumber(
      String code, int expected) {
    Operation op = read("{\"done\":true,\"error\":{\"code\":" + code + ",\"message\":\"m\"}}");
    assertEquals(expected, op.error().code());
    assertEquals("m", op.error().message());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"done\":true,\"response\":{}}|true|true|",
        "{\"done\":false}|false|false|",
        "{\"done\":\"true\",\"response\":null}|false|false|",
        "{\"metadata\":{\"requestedCancellation\":true}}|false|false|true",
        "{\"metadata\":{\"requestedCancellation\":false}}|false|false|false",
        "{\"metadata\":{\"requestedCancellation\":\"true\"}}|false|false|",
        "{\"metadata\":[]}|false|false|"
      })
  void fromJson_booleansAreReadOnlyFromJsonBooleans(
      String json, boolean done, boolean hasResponse, Boolean requested) {
    Operation op = read(json);
    assertEquals(done, op.done());
    assertEquals(hasResponse, op.hasResponse());
    assertEquals(requested, op.requestedCancellation());
  }

  @org.junit.jupiter.api.Test
  void fromJson_times_areRfc3339InstantsOrNull() {
    Operation op =
        read(
            "{\"metadata\":{\"createTime\":\"2026-11-26T12:00:00.5Z\",\"endTime\":\"soon\","
                + "\"verb\":\"update\",\"target\":\"t\",\"apiVersion\":\"v1\"}}");
    assertEquals(java.time.Instant.parse("2026-11-26T12:00:00.5Z"), op.createTime());
    assertEquals(null, op.endTime());
    assertEquals("update", op.verb());
    assertEquals("t", op.target());
    assertEquals("v1", op.apiVersion());
  }
}
