package dev.fusioncancel.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BulkSettingsTest {
  @Test
  void fromProperty_whenUnset_isTheDefault() {
    assertSame(BulkSettings.DEFAULT, BulkSettings.fromProperty(null));
    assertSame(BulkSettings.DEFAULT, BulkSettings.fromProperty(" "));
  }

  @Test
  void forDeadline_540s_keepsTheDefaultMargins() {
    assertEquals(BulkSettings.DEFAULT, BulkSettings.forDeadline(Duration.ofSeconds(540)));
  }

  @Test
  void fromProperty_shortDeadline_shrinksTheMarginsWithIt() {
    BulkSettings s = BulkSettings.fromProperty("20s");
    assertEquals(Duration.ofSeconds(20), s.deadline());
    assertEquals(Duration.ofSeconds(5), s.safetyMargin());
    assertEquals(
        Duration.ofMillis(1666),
        s.checkReserve().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    assertEquals(BulkSettings.DEFAULT.workers(), s.workers());
  }

  @Test
  void fromProperty_twoMinutes_capsTheMarginsAtTheDefaults() {
    BulkSettings s = BulkSettings.fromProperty("PT2M");
    assertEquals(Duration.ofSeconds(30), s.safetyMargin());
    assertEquals(Duration.ofSeconds(10), s.checkReserve());
  }

  @ParameterizedTest
  @ValueSource(strings = {"9s", "541s", "1h", "soon", "-5s", "0s"})
  void fromProperty_badValue_failsNamingTheProperty(String value) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BulkSettings.fromProperty(value));
    assertTrue(e.getMessage().contains(BulkSettings.DEADLINE_PROPERTY), e.getMessage());
  }
}
