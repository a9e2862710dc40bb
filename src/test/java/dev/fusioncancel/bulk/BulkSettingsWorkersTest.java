package dev.fusioncancel.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BulkSettingsWorkersTest {
  private static final Duration FLAT_50MS = Duration.ofMillis(50);

  @Test
  void workersFor_defaultBudget_keepsTheDefaultPool() {
    assertEquals(8, BulkSettings.DEFAULT.workersFor(540, 1, FLAT_50MS, 128));
    assertEquals(8, BulkSettings.DEFAULT.workersFor(540, 3, FLAT_50MS, 128));
    assertEquals(14, BulkSettings.DEFAULT.workersFor(540, 3, Duration.ofMillis(250), 128));
  }

  @Test
  void workersFor_sizedFromTheObservedLatency_notAnAssumedOne() {
    // 6000/min over 2 locations = 200 calls/s: 20 workers at 50 ms, 98 at a 245 ms mean
    assertEquals(20, BulkSettings.DEFAULT.workersFor(6000, 2, FLAT_50MS, 128));
    assertEquals(98, BulkSettings.DEFAULT.workersFor(6000, 2, Duration.ofMillis(245), 128));
  }

  @Test
  void workersFor_cappedByTheMemoryBound() {
    assertEquals(32, BulkSettings.DEFAULT.workersFor(100_000, 5, Duration.ofSeconds(1), 32));
    assertEquals(4, BulkSettings.DEFAULT.workersFor(540, 1, FLAT_50MS, 4), "even below the min");
  }
}
