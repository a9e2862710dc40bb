package dev.fusioncancel.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PoolSizingTest {
  @Test
  void workers_littlesLaw_rateTimesLatencyWithMargin() {
    // 200 calls/s at 50 ms: 10 in flight, 20 with the margin
    assertEquals(20, PoolSizing.workers(200, Duration.ofMillis(50), 1, 128));
    // the same rate at a heavy-tailed mean of 245 ms: 49 in flight, 98 with the margin
    assertEquals(98, PoolSizing.workers(200, Duration.ofMillis(245), 1, 128));
  }

  @Test
  void workers_boundedByMinAndMax() {
    assertEquals(8, PoolSizing.workers(10, Duration.ofMillis(50), 8, 128));
    assertEquals(32, PoolSizing.workers(1000, Duration.ofSeconds(2), 1, 32));
  }

  @Test
  void memoryBound_twoMiBPerWorker_cappedAtTheHardMax() {
    assertEquals(32, PoolSizing.memoryBound(64L << 20));
    assertEquals(PoolSizing.HARD_MAX, PoolSizing.memoryBound(6L << 30));
    assertEquals(1, PoolSizing.memoryBound(1L << 20));
  }

  @Test
  void observe_replacesTheAssumption_thenFollowsARunningMean() {
    PoolSizing sizing = new PoolSizing();
    assertEquals(PoolSizing.INITIAL, sizing.meanLatency());
    sizing.observe(Duration.ofMillis(50));
    assertEquals(Duration.ofMillis(50), sizing.meanLatency(), "the first call replaces it");
    for (int i = 0; i < 1000; i++) {
      sizing.observe(Duration.ofMillis(i % 2 == 0 ? 100 : 300));
    }
    assertEquals(200, sizing.meanLatency().toMillis(), 20);
    for (int i = 0; i < 1000; i++) {
      sizing.observe(Duration.ofMillis(1000));
    }
    assertEquals(1000, sizing.meanLatency().toMillis(), 1, "moves when latency changes");
  }
}
