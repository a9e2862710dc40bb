package dev.fusioncancel.log;

import java.util.List;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Keeps access tokens out of the HTTP libraries' own debug logs. Two loggers print them when an
 * operator turns them up: the JDK's {@code HttpURLConnection} (at {@code FINE} it dumps every
 * request header, {@code Authorization} included; both the Data Fusion transport and
 * google-http-client's default transport use it) and google-http-client at {@code CONFIG} (it logs
 * the metadata server's token response body, {@code "access_token":"..."}). A filter on each
 * redacts those values and lets the rest of the line through, so debug logs stay useful.
 *
 * <p>Works with the default {@code java.util.logging} backend (what Cloud Functions uses); the
 * JDK's system logger of the same name shares the filter.
 */
public final class SecretRedaction {
  /** The loggers that can print a token. */
  static final List<String> LOGGERS =
      List.of(
          "sun.net.www.protocol.http.HttpURLConnection",
          "com.google.api.client.http.HttpTransport");

  private static final Pattern AUTHORIZATION =
      Pattern.compile("(?i)((?:proxy-)?authorization\\s*[:=]\\s*)[^\\r\\n,}\\]]*");
  private static final Pattern TOKEN_FIELD =
      Pattern.compile("(?i)(\"(?:access_token|id_token|refresh_token)\"\\s*:\\s*\")[^\"]*");

  /**
   * Strong references: a logger's filter would be lost if the logger were collected. A plain loop,
   * not a stream: this runs while a function instance starts, where every stream and method
   * reference first used costs class spinning.
   */
  private static final List<Logger> INSTALLED = loggers();

  private static final Filter FILTER = SecretRedaction::redactRecord;

  private SecretRedaction() {}

  private static List<Logger> loggers() {
    List<Logger> loggers = new java.util.ArrayList<>(LOGGERS.size());
    for (String name : LOGGERS) {
      loggers.add(Logger.getLogger(name));
    }
    return List.copyOf(loggers);
  }

  /** Installs the redacting filter on every logger that can print a token; idempotent. */
  public static void install() {
    for (Logger logger : INSTALLED) {
      Filter existing = logger.getFilter();
      if (existing != FILTER) {
        logger.setFilter(
            existing == null ? FILTER : r -> redactRecord(r) && existing.isLoggable(r));
      }
    }
  }

  /** Redacts credential values in {@code text}; everything else is kept. */
  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = AUTHORIZATION.matcher(text).replaceAll("$1<redacted>");
    return TOKEN_FIELD.matcher(out).replaceAll("$1<redacted>");
  }

  private static boolean redactRecord(LogRecord record) {
    record.setMessage(redact(record.getMessage()));
    Object[] params = record.getParameters();
    if (params != null) {
      Object[] copy = params.clone();
      for (int i = 0; i < copy.length; i++) {
        if (copy[i] != null && !(copy[i] instanceof Number)) {
          copy[i] = redact(String.valueOf(copy[i]));
        }
      }
      record.setParameters(copy);
    }
    return true;
  }
}
