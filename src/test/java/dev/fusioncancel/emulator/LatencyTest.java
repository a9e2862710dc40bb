package dev.fusioncancel.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LatencyTest {
  @Test
  void flat_alwaysTheSame() {
    Latency flat = Latency.flat(Duration.ofMillis(50));
    assertEquals(Duration.ofMillis(50), flat.next());
    assertEquals(Duration.ofMillis(50), flat.next());
  }

  @Test
  void lognormal_hasTheAskedMedianAndP99() {
    Latency l = Latency.lognormal(Duration.ofMillis(150), Duration.ofMillis(1500), 7);
    long[] ms = new long[100_000];
    for (int i = 0; i < ms.length; i++) {
      ms[i] = l.next().toNanos();
    }
    Arrays.sort(ms);
    double p50 = ms[ms.length / 2] / 1e6;
    double p99 = ms[(int) (ms.length * 0.99)] / 1e6;
    assertEquals(150, p50, 150 * 0.03, "p50");
    assertEquals(1500, p99, 1500 * 0.06, "p99");
    assertTrue(ms[ms.length - 1] <= Latency.MAX.toNanos(), "capped");
  }

  @Test
  void lognormal_sameSeed_sameSequence() {
    Latency a = Latency.lognormal(Duration.ofMillis(150), Duration.ofMillis(1500), 42);
    Latency b = Latency.lognormal(Duration.ofMillis(150), Duration.ofMillis(1500), 42);
    for (int i = 0; i < 100; i++) {
      assertEquals(a.next(), b.next());
    }
  }

  @Test
  void main_flags_chooseFlatOrLognormal_andRefuseBoth() {
    assertEquals("50 ms flat", Main.latency(50, 0, 0, 1).describe());
    assertEquals("lognormal p50 150 ms, p99 1500 ms", Main.latency(0, 150, 1500, 1).describe());
    assertThrows(IllegalArgumentException.class, () -> Main.latency(50, 150, 1500, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> Latency.lognormal(Duration.ofMillis(150), Duration.ofMillis(100), 1));
  }
}
