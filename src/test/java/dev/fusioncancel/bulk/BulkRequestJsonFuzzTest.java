package dev.fusioncancel.bulk;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonObject;
import dev.fusioncancel.testing.FuzzJson;
import dev.fusioncancel.testing.FuzzText;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the bulk request reader. Every message is refused with {@link
 * InvalidRequestException} (never another exception) or parsed into a request whose canonical JSON
 * ({@link BulkRequestJson#toJson}) parses back to the same request. Inputs are built field by field
 * so the fuzzer reaches the checks behind a valid first field. Seeds: {@code
 * BulkRequestJsonFuzzTestInputs/<method>/}.
 */
class BulkRequestJsonFuzzTest {
  private static final String[] FIELDS = {
    "operations",
    "parents",
    "olderThan",
    "verbs",
    "targets",
    "limit",
    "dryRun",
    "wait",
    "continuation"
  };
  private static final String[] CONTINUATION = {"requestId", "part", "since"};
  private static final String[] DURATIONS = {
    "30s", "5m", "6h", "1d", "PT6H", "0s", "-1s", "1500ms"
  };
  private static final String[] TIMES = {
    "2026-11-26T12:00:00Z",
    "2026-11-26T12:00:00.123456789+01:00",
    "9999-12-31T23:59:59-18:00",
    "0000-01-01T00:00:00+18:00",
    "2026-02-30T00:00:00Z",
    "2026-11-26 12:00:00Z",
    "2026-11-26T12:00:00"
  };

  @FuzzTest(maxDuration = "30s")
  void parse_refusesOrRoundTripsThroughCanonicalJson(FuzzedDataProvider data) {
    byte[] message =
        data.consumeInt(0, 7) == 0
            ? data.consumeRemainingAsBytes()
            : FuzzJson.members(data, FIELDS, BulkRequestJsonFuzzTest::field)
                .getBytes(StandardCharsets.UTF_8);
    BulkRequest request;
    try {
      request = BulkRequestJson.parse(message);
    } catch (InvalidRequestException refused) {
      assertFalse(refused.getMessage() == null || refused.getMessage().isBlank());
      return;
    }
    assertFalse(
        request.operations().isEmpty()
            && request.parents().isEmpty()
            && request.allLocationsOf().isEmpty(),
        () -> "accepted with neither operations nor parents: " + new String(message, UTF_8));
    assertTrue(request.limit() >= 1 && request.limit() <= BulkRequest.MAX_LIMIT);
    assertTrue(request.operations().size() <= BulkRequestJson.MAX_ENTRIES);
    assertEquals(request.operations().stream().distinct().count(), request.operations().size());
    JsonObject canonical = BulkRequestJson.toJson(request);
    BulkRequest again = parseCanonical(canonical);
    assertEquals(request, again, () -> "canonical JSON " + canonical + " parsed differently");
    assertEquals(canonical, BulkRequestJson.toJson(again));
  }

  private static BulkRequest parseCanonical(JsonObject canonical) {
    try {
      return BulkRequestJson.parse(canonical.toString().getBytes(StandardCharsets.UTF_8));
    } catch (InvalidRequestException e) {
      throw new AssertionError("canonical JSON " + canonical + " was refused: " + e.getMessage());
    }
  }

  private static String field(FuzzedDataProvider d, String key) {
    if (d.consumeInt(0, 9) == 0) {
      return FuzzJson.value(d, 2, FIELDS, FuzzText.OPERATIONS);
    }
    return switch (key) {
      case "operations" -> strings(d, FuzzText::operationName);
      case "parents" -> strings(d, FuzzText::locationName);
      case "verbs" ->
          strings(d, dd -> dd.pickValue(new String[] {"update", "restart", "", " ", "UPDATE"}));
      case "targets" ->
          strings(
              d,
              dd ->
                  FuzzText.locationName(dd)
                      + "/instances/"
                      + FuzzText.segment(dd, FuzzText.OPERATIONS));
      case "olderThan", "wait" -> FuzzJson.string(d, d.pickValue(DURATIONS));
      case "limit" -> Integer.toString(d.consumeInt(-2, 10_002));
      case "dryRun" -> Boolean.toString(d.consumeBoolean());
      case "continuation" ->
          FuzzJson.members(d, CONTINUATION, BulkRequestJsonFuzzTest::continuation);
      default -> FuzzJson.value(d, 1, FIELDS, FuzzText.OPERATIONS);
    };
  }

  private static String continuation(FuzzedDataProvider d, String key) {
    return switch (key) {
      case "requestId" ->
          FuzzJson.string(d, d.pickValue(new String[] {"4711", "", "x".repeat(300)}));
      case "part" -> Integer.toString(d.consumeInt(-1, 52));
      case "since" -> FuzzJson.string(d, d.pickValue(TIMES));
      default -> FuzzJson.value(d, 1, CONTINUATION, TIMES);
    };
  }

  private static String strings(
      FuzzedDataProvider d, java.util.function.Function<FuzzedDataProvider, String> item) {
    StringBuilder sb = new StringBuilder("[");
    int n = d.consumeInt(0, 4);
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append(FuzzJson.string(d, item.apply(d)));
    }
    return sb.append("]").toString();
  }
}
