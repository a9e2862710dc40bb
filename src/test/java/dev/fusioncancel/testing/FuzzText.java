package dev.fusioncancel.testing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * Builds mostly-valid untrusted text from fuzzer bytes, so that coverage-guided fuzzing reaches the
 * deep states of a parser (a valid project, then a bad location, then one stray byte in an
 * operation id) instead of stopping at the first byte as random strings do.
 */
public final class FuzzText {
  public static final String[] PROJECTS = {
    "my-project", "example.com:my-project", "123456789012", "proj-a", "abcdef", "a-b-c-d-e-f9"
  };
  public static final String[] LOCATIONS = {
    "us-central1", "europe-west1", "l", "asia-east1", "x-1"
  };
  public static final String[] OPERATIONS = {
    "op-1", "A_b.c~d-e", "...", "operation-123", "summary", "x", "a".repeat(128)
  };

  /** Fragments that have broken name parsers before: traversal, escapes, separators, Unicode. */
  public static final String[] HOSTILE = {
    "", ".", "..", "%2e%2e", "%2F", "a:cancel", "a?x=1", "a#f", "a b", "a\r\nHost: x", "\u0000",
    "\u0430pple", "/", "//", "\\", "*", "-", ":", "a".repeat(129), "My-Project", "0123", "1us",
    "\t", "\u00a0", "\ud800", "\uffff", "~", "_", "A", "9", "a-", "\u2028"
  };

  /** The characters name rules care about, and a few they must refuse. */
  public static final String ALPHABET = "abcxyzABCXYZ0189-_.~:%/?#*\\ @,=&+;'\"\u00e9";

  private FuzzText() {}

  /** A segment: valid, hostile, valid with a hostile tail, built from the alphabet, or Unicode. */
  public static String segment(FuzzedDataProvider d, String[] valid) {
    return switch (d.consumeInt(0, 5)) {
      case 0, 1 -> d.pickValue(valid);
      case 2 -> d.pickValue(HOSTILE);
      case 3 -> d.pickValue(valid) + d.pickValue(HOSTILE);
      case 4 -> fromAlphabet(d, ALPHABET, d.consumeInt(0, 140));
      default -> d.consumeString(40);
    };
  }

  /** Up to {@code max} characters picked from {@code alphabet}. */
  public static String fromAlphabet(FuzzedDataProvider d, String alphabet, int max) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < max && d.remainingBytes() > 0; i++) {
      sb.append(alphabet.charAt(d.consumeInt(0, alphabet.length() - 1)));
    }
    return sb.toString();
  }

  /** A literal such as {@code projects}, now and then misspelt. */
  public static String literal(FuzzedDataProvider d, String literal) {
    return d.consumeInt(0, 9) == 0
        ? d.pickValue(new String[] {"", literal + "s", "Projects", "zones"})
        : literal;
  }

  /** A string shaped like {@code projects/P/locations/L}, with fuzzed segments. */
  public static String locationName(FuzzedDataProvider d) {
    return literal(d, "projects")
        + "/"
        + segment(d, PROJECTS)
        + "/"
        + literal(d, "locations")
        + "/"
        + segment(d, LOCATIONS);
  }

  /** A string shaped like an operation name, with fuzzed segments and now and then an extra one. */
  public static String operationName(FuzzedDataProvider d) {
    String name = locationName(d) + "/" + literal(d, "operations") + "/" + segment(d, OPERATIONS);
    return switch (d.consumeInt(0, 11)) {
      case 0 -> "/" + name;
      case 1 -> name + "/" + segment(d, OPERATIONS);
      case 2 -> "https://evil.example.com/v1/" + name;
      default -> name;
    };
  }
}
