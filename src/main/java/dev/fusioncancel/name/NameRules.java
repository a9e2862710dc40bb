package dev.fusioncancel.name;

import java.util.regex.Pattern;

/** The segment rules of Data Fusion resource names, shared by every name type. */
final class NameRules {
  /** A project ID, a domain-scoped project ID ({@code example.com:my-project}) or a number. */
  static final Pattern PROJECT =
      Pattern.compile(
          "(?:(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}:)?[a-z][a-z0-9-]{4,28}[a-z0-9]"
              + "|[1-9][0-9]{0,18}");

  static final Pattern LOCATION = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  static final Pattern OPERATION = Pattern.compile("[A-Za-z0-9_.~-]{1,128}");

  /** Longest name worth looking at; anything longer is refused before any regex runs. */
  static final int MAX_NAME_LENGTH = 512;

  private NameRules() {}

  static String[] segments(String input, int expected, String shape) {
    if (input == null) {
      throw new InvalidNameException("name is required, expected " + shape);
    }
    if (input.isEmpty()) {
      throw new InvalidNameException("name is empty, expected " + shape);
    }
    if (input.length() > MAX_NAME_LENGTH) {
      throw new InvalidNameException(
          "name is " + input.length() + " characters long, expected " + shape);
    }
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new InvalidNameException(
            "name contains a whitespace, control or non-ASCII character at index "
                + i
                + ", expected "
                + shape);
      }
    }
    String[] parts = input.split("/", -1);
    if (parts.length != expected) {
      throw new InvalidNameException(
          "name has " + parts.length + " segments instead of " + expected + ", expected " + shape);
    }
    return parts;
  }

  static void literal(String[] parts, int index, String literal, String shape) {
    if (!parts[index].equals(literal)) {
      throw new InvalidNameException(
          "segment " + (index + 1) + " must be '" + literal + "', expected " + shape);
    }
  }

  static String project(String value, String shape) {
    if (!PROJECT.matcher(value).matches()) {
      throw new InvalidNameException("invalid project '" + value + "', expected " + shape);
    }
    return value;
  }

  static void location(String value, String shape) {
    if (!LOCATION.matcher(value).matches()) {
      throw new InvalidNameException("invalid location '" + value + "', expected " + shape);
    }
  }
}
