package dev.fusioncancel.rpc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Google's standard query parameters ("system parameters") of JSON/REST APIs, in every documented
 * spelling: {@code alt}, {@code callback}, {@code fields}, {@code key}, {@code prettyPrint} and
 * {@code quotaUser} also with a {@code $} prefix; {@code access_token}, {@code oauth_token}, {@code
 * upload_protocol}, {@code uploadType}, {@code userIp} and {@code $.xgafv}. Names and values are
 * percent-decoded before they are judged ({@code %24alt} is {@code $alt}). Generated clients send
 * them (gcloud's {@code alt=json}, gapic's {@code $alt=json;enum-encoding=int}); the drop-in path
 * and the emulator both accept them through this one reader and forward none.
 */
public final class SystemParameters {
  private static final Set<String> NAMES =
      Set.of(
          "alt",
          "callback",
          "fields",
          "key",
          "access_token",
          "oauth_token",
          "prettyPrint",
          "quotaUser",
          "upload_protocol",
          "uploadType",
          "userIp",
          "$.xgafv");

  private static final Set<String> DOLLAR_NAMES =
      Set.of("alt", "callback", "fields", "key", "prettyPrint", "quotaUser");

  /**
   * Only JSON is answered: {@code alt=proto} or {@code media} would get a body they cannot read.
   */
  private static final Set<String> ALT_VALUES = Set.of("json", "json;enum-encoding=int");

  private static final Set<String> SECRETS = Set.of("access_token", "oauth_token", "key");

  private SystemParameters() {}

  /**
   * A query split into its system parameters (judged here) and the rest.
   *
   * @param others every other parameter, percent-decoded (the last value of a repeated name)
   * @param prettyPrint whether the answer should be indented ({@code prettyPrint}, default true)
   */
  public record Query(Map<String, String> others, boolean prettyPrint) {
    public Query {
      others = Map.copyOf(others);
    }
  }

  /**
   * Reads a raw query ({@code null} or empty for none).
   *
   * @throws IllegalArgumentException for a bad percent-escape or a system parameter whose value
   *     cannot be served (e.g. {@code alt=proto}), with a message fit for a 400 answer
   */
  public static Query parse(String rawQuery) {
    Map<String, String> others = new LinkedHashMap<>();
    boolean pretty = true;
    if (rawQuery == null || rawQuery.isEmpty()) {
      return new Query(others, pretty);
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      String canonical = canonical(name);
      if (canonical == null) {
        others.put(name, value);
        continue;
      }
      switch (canonical) {
        case "alt" -> {
          if (!ALT_VALUES.contains(value)) {
            throw new IllegalArgumentException(
                "query parameter '" + name + "' must be json or json;enum-encoding=int");
          }
        }
        case "$.xgafv" -> {
          if (!value.equals("1") && !value.equals("2")) {
            throw new IllegalArgumentException("query parameter '$.xgafv' must be 1 or 2");
          }
        }
        case "prettyPrint" -> pretty = prettyPrint(name, value);
        default -> {
          // accepted and never forwarded
        }
      }
    }
    return new Query(others, pretty);
  }

  /** Whether a decoded parameter name carries a credential (its value must never be logged). */
  public static boolean isSecret(String name) {
    String canonical = canonical(name);
    return canonical != null && SECRETS.contains(canonical);
  }

  /** The system parameter a decoded name spells, or null when it is none. */
  private static String canonical(String name) {
    if (NAMES.contains(name)) {
      return name;
    }
    if (name.startsWith("$") && DOLLAR_NAMES.contains(name.substring(1))) {
      return name.substring(1);
    }
    return null;
  }

  private static boolean prettyPrint(String name, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1", "" -> true;
      case "false", "0" -> false;
      default ->
          throw new IllegalArgumentException(
              "query parameter '" + name + "' must be true or false");
    };
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the query has a malformed %-escape");
    }
  }
}
