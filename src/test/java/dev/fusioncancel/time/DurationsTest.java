package dev.fusioncancel.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({
    "30s, PT30S",
    "5m, PT5M",
    "6h, PT6H",
    "1d, PT24H",
    "0s, PT0S",
    "1500ms, PT1.5S",
    "PT6H, PT6H",
    "pt90m, PT1H30M",
    "P1D, PT24H"
  })
  void parse_acceptsShortFormsAndIso8601(String text, String iso) {
    assertEquals(Duration.parse(iso), Durations.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "30",
        "s",
        "-5s",
        "PT-5S",
        "5 m",
        "5min",
        "1h30m",
        "1e3s",
        "9999999999s",
        "100000d",
        "P99999D",
        "30S",
        "abc",
        "PT",
        "P",
        "1.5h",
        "PT1H\u0000",
        "\u000130s",
        "30s\u0000",
        "\u0000PT6H"
      })
  void parse_refusesEverythingElse(String text) {
    assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
  }

  @org.junit.jupiter.api.Test
  void format_isShort() {
    assertEquals("30s", Durations.format(Duration.ofSeconds(30)));
    assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
  }
}
