package dev.fusioncancel.name;

import java.util.regex.Pattern;

/**
 * Strips layout (spaces, tabs, CR, LF) around configured values and list entries, and nothing else.
 * Not {@code String.trim()}, which also drops control characters: a stray control byte in a setting
 * must fail configuration, not vanish.
 */
public final class Layout {
  private static final Pattern AROUND = Pattern.compile("^[ \\t\\r\\n]+|[ \\t\\r\\n]+$");

  private Layout() {}

  /** {@code text} without the layout at its ends. */
  public static String strip(String text) {
    return AROUND.matcher(text).replaceAll("");
  }
}
