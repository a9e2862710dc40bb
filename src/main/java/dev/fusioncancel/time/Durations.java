package dev.fusioncancel.time;

import dev.fusioncancel.log.Abbreviation;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the contract's durations: {@code 30s}, {@code 5m}, {@code 6h}, {@code 1d}, ISO-8601. */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

  /** Nothing longer is accepted: a typo such as {@code 6000d} must not pass silently. */
  public static final Duration MAX = Duration.ofDays(3660);

  private Durations() {}

  /**
   * Parses a duration, refusing negative values, values over {@link #MAX} and anything else.
   *
   * @throws IllegalArgumentException with a message that quotes the input
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a duration is required, such as 30s, 5m, 6h, 1d or PT6H");
    }
    // strip(), not trim(): trim() also drops control characters such as NUL, so "PT1H\0" passed.
    String trimmed = text.strip();
    Duration result;
    Matcher m = SHORT.matcher(trimmed);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      result =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
    } else if (trimmed.length() <= 64
        && (trimmed.startsWith("P") || trimmed.startsWith("p"))
        && !trimmed.contains("-")) {
      try {
        result = Duration.parse(trimmed.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw invalid(text);
      }
    } else {
      throw invalid(text);
    }
    if (result.isNegative() || result.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(
          "duration '" + abbreviate(text) + "' is out of range (0 to " + MAX.toDays() + "d)");
    }
    return result;
  }

  /** Formats a duration the short way, e.g. {@code 30s} or {@code 1500ms}. */
  public static String format(Duration d) {
    if (d.toMillisPart() != 0 || d.toSeconds() == 0 && !d.isZero()) {
      return d.toMillis() + "ms";
    }
    return d.toSeconds() + "s";
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "invalid duration '" + abbreviate(text) + "': use 30s, 5m, 6h, 1d or ISO-8601 like PT6H");
  }

  /** The smaller of two durations, or the earlier of two instants. */
  public static <T extends Comparable<? super T>> T min(T a, T b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String abbreviate(String text) {
    return Abbreviation.abbreviate(text, 40);
  }
}
