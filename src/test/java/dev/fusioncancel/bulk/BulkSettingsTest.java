package dev.fusioncancel.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BulkSettingsTest {
  @Test
  void forDeadline_540s_keepsTheDefaultMargins() {
    assertEquals(BulkSettings.DEFAULT, BulkSettings.forDeadline(Duration.ofSeconds(540)));
  }

  @Test
  void forDeadline_shortDeadline_shrinksTheMarginsWithIt() {
    BulkSettings s = BulkSettings.forDeadline(Duration.ofSeconds(20));
    assertEquals(Duration.ofSeconds(20), s.deadline());
    assertEquals(Duration.ofSeconds(5), s.safetyMargin());
    assertEquals(
        Duration.ofMillis(1666),
        s.checkReserve().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    assertEquals(BulkSettings.DEFAULT.workers(), s.workers());
  }

  @Test
  void forDeadline_twoMinutes_capsTheMarginsAtTheDefaults() {
    BulkSettings s = BulkSettings.forDeadline(Duration.ofMinutes(2));
    assertEquals(Duration.ofSeconds(30), s.safetyMargin());
    assertEquals(Duration.ofSeconds(10), s.checkReserve());
  }

  @ParameterizedTest
  @ValueSource(longs = {9, 541, 3600, 0})
  void forDeadline_outOfRange_isRefused(long seconds) {
    assertThrows(
        IllegalArgumentException.class,
        () -> BulkSettings.forDeadline(Duration.ofSeconds(seconds)));
  }
}
