package dev.fusioncancel.log;

/**
 * Shortens untrusted text before it is quoted in a log line or an error message, so that a huge or
 * binary input can never flood a log or an answer, nor forge a log line with control characters.
 */
public final class Abbreviation {
  private Abbreviation() {}

  /**
   * At most {@code max} characters of {@code text}, each outside printable ASCII shown as {@code
   * ?}, followed by {@code ...} when something was cut; {@code ""} for null.
   */
  public static String abbreviate(String text, int max) {
    if (text == null) {
      return "";
    }
    int shown = Math.min(text.length(), max);
    StringBuilder sb = new StringBuilder(shown + 3);
    for (int i = 0; i < shown; i++) {
      char c = text.charAt(i);
      sb.append(c < 0x20 || c > 0x7e ? '?' : c);
    }
    return text.length() > max ? sb.append("...").toString() : sb.toString();
  }
}
