package dev.fusioncancel.http;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request id and Cloud Trace context of one HTTP request, from {@code X-Cloud-Trace-Context}
 * ({@code TRACE/SPAN;o=1}) or W3C {@code traceparent} ({@code 00-TRACE-SPAN-01}).
 */
public record RequestContext(String requestId, String traceId, String spanId) {
  private static final Pattern CLOUD = Pattern.compile("([0-9a-fA-F]{32})(?:/([0-9]{1,20}))?.*");
  private static final Pattern W3C =
      Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}.*");

  /** Reads the headers; a request without trace context gets a random request id. */
  public static RequestContext from(HttpCall call) {
    String trace = null;
    String span = null;
    String cloud = call.header("X-Cloud-Trace-Context").orElse(null);
    String w3c = call.header("traceparent").orElse(null);
    Matcher m;
    if (cloud != null && (m = CLOUD.matcher(cloud.trim())).matches()) {
      trace = m.group(1).toLowerCase(java.util.Locale.ROOT);
      span = m.group(2);
    } else if (w3c != null && (m = W3C.matcher(w3c.trim())).matches()) {
      trace = m.group(1);
      span = m.group(2);
    }
    String id = trace != null ? trace + (span == null ? "" : "/" + span) : randomUuid().toString();
    return new RequestContext(id, trace, span);
  }

  /**
   * A random (version 4) UUID from {@link ThreadLocalRandom}: a request id must be unique, not
   * unpredictable, and {@link UUID#randomUUID()}'s SecureRandom costs about 30 ms on first use, on
   * the first request's path.
   */
  static UUID randomUuid() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & ~(0xCL << 60)) | (0x8L << 60);
    return new UUID(msb, lsb);
  }

  /** The {@code logging.googleapis.com/trace} value, or null without a project or trace. */
  public String traceResource(String project) {
    return traceId == null || project == null || project.isBlank()
        ? null
        : "projects/" + project + "/traces/" + traceId;
  }
}
