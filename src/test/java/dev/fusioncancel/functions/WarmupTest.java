package dev.fusioncancel.functions;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WarmupTest {
  @Test
  void run_goesThroughTheWholeRequestPathOnSampleData() {
    assertTrue(Warmup.run(), "the warm-up sample no longer passes the request path");
  }
}
