package dev.fusioncancel.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fusioncancel.testing.FuzzText;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of {@link Durations#parse}: every input is refused with {@link
 * IllegalArgumentException} or gives a duration from 0 to {@link Durations#MAX} that round-trips
 * through its ISO-8601 form, and the short forms mean exactly their number of units.
 */
class DurationsFuzzTest {
  private static final Pattern SHORT = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");
  private static final String[] UNITS = {"ms", "s", "m", "h", "d", "S", "M", "H", "D", "", "us"};
  private static final String[] ISO = {"P", "PT", "p", "pt", "PT-", "P1D", "PT1H", "-PT1H"};
  private static final String[] ISO_UNITS = {"D", "H", "M", "S", "d", "h", "m", "s", "W", "Y"};

  @FuzzTest(maxDuration = "30s")
  void parse_refusesOrGivesABoundedDurationThatRoundTrips(FuzzedDataProvider data) {
    String text = data.consumeBoolean() ? durationText(data) : data.consumeRemainingAsString();
    Duration d;
    try {
      d = Durations.parse(text);
    } catch (IllegalArgumentException refused) {
      Matcher m = SHORT.matcher(text.strip());
      assertFalse(
          m.matches() && !text.isBlank() && inRange(Long.parseLong(m.group(1)), m.group(2)),
          () -> "a short duration in range was refused: '" + text + "'");
      return;
    }
    assertFalse(d.isNegative(), text);
    assertTrue(d.compareTo(Durations.MAX) <= 0, text);
    assertEquals(d, Durations.parse(d.toString()), "the ISO-8601 form parses back");
    Matcher m = SHORT.matcher(text.strip());
    if (m.matches()) {
      assertEquals(expected(Long.parseLong(m.group(1)), m.group(2)), d, text);
    } else {
      assertTrue(text.strip().toUpperCase(java.util.Locale.ROOT).startsWith("P"), text);
    }
  }

  private static String durationText(FuzzedDataProvider data) {
    String pad = data.pickValue(new String[] {"", "", " ", "\t", "\u0000", "\u2003"});
    String body =
        switch (data.consumeInt(0, 3)) {
          case 0, 1 -> Long.toString(data.consumeLong(0, 99_999_999_999L)) + data.pickValue(UNITS);
          case 2 -> {
            StringBuilder iso = new StringBuilder(data.pickValue(ISO));
            int parts = data.consumeInt(0, 4);
            for (int i = 0; i < parts; i++) {
              iso.append(data.consumeInt(-5, 100_000_000)).append(data.pickValue(ISO_UNITS));
            }
            yield iso.toString();
          }
          default -> FuzzText.fromAlphabet(data, "0123456789PTDHMS.,-+ smhdE", 24);
        };
    return pad + body + data.pickValue(new String[] {"", "", " ", "\n", "\u0000"});
  }

  private static boolean inRange(long amount, String unit) {
    return expected(amount, unit).compareTo(Durations.MAX) <= 0;
  }

  private static Duration expected(long amount, String unit) {
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }
}
