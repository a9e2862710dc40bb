package dev.fusioncancel.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventIdsTest {

  @Test
  void operationEventIds_areStableAcrossReleases() {
    // sha256("4711" 0x00 name), first 16 bytes: the value every release so far has published.
    assertEquals(
        "e960f6a1ba9a74f8f4fdeccdf4f331da",
        EventIds.of("4711", "projects/proj-a/locations/us-central1/operations/a"));
  }

  @Test
  void summaryEventIds_neverEqualTheEventIdOfAnyOperationName() {
    Set<String> operationIds = new HashSet<>();
    for (String name :
        List.of("summary", "summary/1", "summary/2", "summary\u0000", "\u00ffsummary")) {
      operationIds.add(EventIds.of("4711", name));
    }
    assertEquals(5, operationIds.size());
    for (int part = 1; part <= 3; part++) {
      String summary = EventIds.summary("4711", part);
      assertEquals(32, summary.length());
      assertEquals(false, operationIds.contains(summary), "summary part " + part);
    }
  }

  @Test
  void summaryEventIds_differPerPartAndPerRequest_andRepeat() {
    assertNotEquals(EventIds.summary("4711", 1), EventIds.summary("4711", 2));
    assertNotEquals(EventIds.summary("4711", 1), EventIds.summary("4712", 1));
    assertEquals(EventIds.summary("4711", 2), EventIds.summary("4711", 2));
  }

  @Test
  void operationEventIds_separateRequestIdFromName() {
    assertNotEquals(EventIds.of("ab", "c"), EventIds.of("a", "bc"));
  }
}
