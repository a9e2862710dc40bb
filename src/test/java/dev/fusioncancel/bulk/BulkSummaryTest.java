package dev.fusioncancel.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.google.gson.JsonObject;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.EventIds;
import dev.fusioncancel.outcome.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BulkSummaryTest {
  private static final Instant T = Instant.parse("2026-11-26T12:00:00Z");

  @Test
  void counts_alwaysAddUpToTotal() {
    Random random = new Random(42);
    for (int round = 0; round < 50; round++) {
      List<CancelResult> results = new ArrayList<>();
      int n = random.nextInt(200);
      for (int i = 0; i < n; i++) {
        Outcome o = Outcome.values()[random.nextInt(Outcome.values().length)];
        results.add(CancelResult.withoutCall("op" + i, o, "x", T));
      }
      BulkReport report =
          new BulkReport(
              "r",
              Fixtures.request(List.of("a"), List.of()),
              T,
              T,
              results,
              List.of(),
              Map.of(),
              List.of(),
              3,
              Map.of(),
              LocationExpansion.Scope.of(List.of()));
      JsonObject json = BulkSummary.of(report, results, Optional.empty(), T).toJson();
      int sum =
          json.getAsJsonObject("counts").entrySet().stream()
              .mapToInt(e -> e.getValue().getAsInt())
              .sum();
      assertEquals(n, json.get("total").getAsInt());
      assertEquals(n, sum);
      assertEquals(Outcome.values().length, json.getAsJsonObject("counts").size());
      assertEquals(3, json.get("skippedByLimit").getAsInt());
    }
  }

  @Test
  void invalid_hasErrorAndZeroTotal_andStableEventId() {
    BulkSummary s = BulkSummary.invalid("m1", "bad", T, T);
    JsonObject json = s.toJson();
    assertEquals("bad", json.getAsJsonObject("error").get("message").getAsString());
    assertEquals(3, json.getAsJsonObject("error").get("code").getAsInt(), "INVALID_ARGUMENT");
    assertEquals(0, json.get("total").getAsInt());
    assertFalse(json.has("skippedByLimit"));
    assertEquals(EventIds.summary("m1", 1), s.attributes().get("eventId"));
    assertEquals("summary", s.attributes().get("type"));
    assertEquals("m1", s.attributes().get("requestId"));
  }

  @Test
  void eventId_differsPerPart() {
    BulkSummary one = BulkSummary.invalid("m1", "x", T, T);
    BulkSummary two =
        new BulkSummary(
            "m1",
            2,
            false,
            Map.of(),
            T,
            T,
            Optional.of(0),
            Optional.empty(),
            Map.of(),
            Optional.empty());
    assertNotEquals(one.eventId(), two.eventId());
  }
}
