package dev.fusioncancel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {
  final ExponentialBackoff fullCeiling =
      new ExponentialBackoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(10), () -> 1.0);

  @Test
  void ceiling_growsByTheMultiplier_andStopsAtTheMax() {
    assertEquals(Duration.ofMillis(200), fullCeiling.ceiling(1));
    assertEquals(Duration.ofMillis(400), fullCeiling.ceiling(2));
    assertEquals(Duration.ofMillis(6400), fullCeiling.ceiling(6));
    assertEquals(Duration.ofSeconds(10), fullCeiling.ceiling(7));
    assertEquals(Duration.ofSeconds(10), fullCeiling.ceiling(10_000));
  }

  @Test
  void delay_isTheCeilingScaledByTheJitter() {
    ExponentialBackoff quarter =
        new ExponentialBackoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(10), () -> 0.25);

    assertEquals(Duration.ofMillis(100), quarter.delay(2));
    assertEquals(Duration.ofMillis(400), fullCeiling.delay(2));
  }

  @Test
  void delay_clampsJitterOutsideZeroToOne() {
    ExponentialBackoff high =
        new ExponentialBackoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(10), () -> 7.0);
    ExponentialBackoff low =
        new ExponentialBackoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(10), () -> -1.0);

    assertEquals(Duration.ofMillis(200), high.delay(1));
    assertEquals(Duration.ZERO, low.delay(1));
  }

  @Test
  void delay_withRandomJitter_staysWithinZeroAndTheCeiling() {
    Random random = new Random(42);
    ExponentialBackoff b =
        new ExponentialBackoff(
            Duration.ofMillis(200), 2.0, Duration.ofSeconds(10), random::nextDouble);
    for (int attempt = 1; attempt < 20; attempt++) {
      Duration d = b.delay(attempt);
      assertTrue(!d.isNegative() && d.compareTo(b.ceiling(attempt)) <= 0, d.toString());
    }
  }

  @Test
  void ceiling_rejectsAttemptZero() {
    assertThrows(IllegalArgumentException.class, () -> fullCeiling.ceiling(0));
  }

  @Test
  void aMultiplierOfOne_keepsTheDelayConstant_belowOneIsRefused() {
    ExponentialBackoff constant =
        new ExponentialBackoff(Duration.ofSeconds(1), 1.0, Duration.ofSeconds(10), () -> 1.0);
    assertEquals(Duration.ofSeconds(1), constant.ceiling(5));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () ->
            new ExponentialBackoff(Duration.ofSeconds(1), 0.99, Duration.ofSeconds(10), () -> 1.0));
  }
}
