package dev.fusioncancel.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BulkSettingsWorkersTest {
  @Test
  void workersFor_defaultBudget_keepsTheDefaultPool() {
    assertEquals(8, BulkSettings.DEFAULT.workersFor(540, 1));
    assertEquals(8, BulkSettings.DEFAULT.workersFor(540, 3));
    assertEquals(23, BulkSettings.DEFAULT.workersFor(540, 10)); // 90 calls/s x 0.25 s
  }

  @Test
  void workersFor_largeBudget_sizesThePoolSoTheLimiterIsTheBound() {
    // 5400/min over 2 locations = 180 calls/s; at 250 ms each, 45 calls in flight.
    assertEquals(45, BulkSettings.DEFAULT.workersFor(5400, 2));
    assertEquals(BulkSettings.MAX_WORKERS, BulkSettings.DEFAULT.workersFor(100_000, 5));
  }
}
