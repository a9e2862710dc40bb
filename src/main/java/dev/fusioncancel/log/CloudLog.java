package dev.fusioncancel.log;

import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.util.Map;

/**
 * One-line structured JSON logs in Cloud Logging's format ({@code severity}, {@code message},
 * {@code logging.googleapis.com/trace}, {@code logging.googleapis.com/labels}). Cloud Functions
 * turns each stdout line into a log entry. Never pass a credential to it.
 */
public final class CloudLog {
  /** Log severities understood by Cloud Logging. */
  public enum Severity {
    DEBUG,
    INFO,
    NOTICE,
    WARNING,
    ERROR,
    CRITICAL
  }

  private static volatile PrintStream out = System.out;

  private CloudLog() {}

  /**
   * Writes one entry. {@code trace} is {@code projects/P/traces/T} or null; labels may be empty.
   */
  public static void log(
      Severity severity, String message, String trace, Map<String, String> labels) {
    JsonObject o = new JsonObject();
    o.addProperty("severity", severity.name());
    o.addProperty("message", message);
    if (trace != null) {
      o.addProperty("logging.googleapis.com/trace", trace);
    }
    if (labels != null && !labels.isEmpty()) {
      JsonObject l = new JsonObject();
      labels.forEach(
          (k, v) -> {
            if (v != null) {
              l.addProperty(k, v);
            }
          });
      o.add("logging.googleapis.com/labels", l);
    }
    String line = o.toString();
    PrintStream target = out;
    synchronized (target) {
      target.println(line);
      target.flush();
    }
  }

  /** An INFO entry with labels. */
  public static void info(String message, Map<String, String> labels) {
    log(Severity.INFO, message, null, labels);
  }

  /** A WARNING entry with labels. */
  public static void warning(String message, Map<String, String> labels) {
    log(Severity.WARNING, message, null, labels);
  }

  /** An ERROR entry with labels. */
  public static void error(String message, Map<String, String> labels) {
    log(Severity.ERROR, message, null, labels);
  }

  /** Sends entries elsewhere (tests capture them); returns the previous stream. */
  public static PrintStream redirect(PrintStream stream) {
    PrintStream previous = out;
    out = stream;
    return previous;
  }
}
