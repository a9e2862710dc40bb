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
}
