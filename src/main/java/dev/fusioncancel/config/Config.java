package dev.fusioncancel.config;

import dev.fusioncancel.name.InvalidNameException;
import dev.fusioncancel.name.Layout;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.ParentPattern;
import dev.fusioncancel.name.ProjectName;
import dev.fusioncancel.time.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The validated configuration of both functions, read from a map so that tests pass their own. In
 * production the map is {@link #processEnvironment()}: the only place that reads the environment or
 * a system property.
 *
 * @param bulkDeadline the bulk function's timeout, which each run is planned for (JVM property
 *     {@value #BULK_DEADLINE}, set by Terraform through {@code JAVA_TOOL_OPTIONS})
 * @param runtimeProject the project the function runs in ({@code GOOGLE_CLOUD_PROJECT}, set by the
 *     runtime), for log trace resources
 */
public record Config(
    URI endpoint,
    String apiVersion,
    List<ParentPattern> allowedParents,
    Optional<String> outcomeTopic,
    int requestsPerMinute,
    Duration maxWait,
    Optional<String> pubsubEmulatorHost,
    Duration bulkDeadline,
    Optional<String> runtimeProject) {

  public static final String DEFAULT_ENDPOINT = "https://datafusion.googleapis.com";
  public static final int DEFAULT_REQUESTS_PER_MINUTE = 540;
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(60);
  private static final Pattern TOPIC =
      Pattern.compile(
          "projects/(?:(?:[a-z0-9-]+\\.)+[a-z]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]"
              + "/topics/[A-Za-z][A-Za-z0-9._~+%-]{2,254}");

  /**
   * The key of the bulk deadline: a JVM system property ({@code
   * JAVA_TOOL_OPTIONS=-Dfusioncancel.bulk.deadline=300s}), kept for the deployments that set it.
   */
  public static final String BULK_DEADLINE = "fusioncancel.bulk.deadline";

  /** The shortest bulk deadline a run can be planned in. */
  public static final Duration MIN_BULK_DEADLINE = Duration.ofSeconds(10);

  /** The longest bulk deadline, and the default: Cloud Functions' 540 s event function timeout. */
  public static final Duration MAX_BULK_DEADLINE = Duration.ofSeconds(540);

  /** Set by the Cloud Functions runtime. */
  public static final String GOOGLE_CLOUD_PROJECT = "GOOGLE_CLOUD_PROJECT";

  public Config {
    allowedParents = List.copyOf(allowedParents);
  }

  /** The configuration of the running process. */
  public static Config fromEnvironment() {
    return from(processEnvironment());
  }

  /**
   * What {@link #from} reads in production: the environment, plus the {@value #BULK_DEADLINE} JVM
   * property when it is set.
   */
  public static Map<String, String> processEnvironment() {
    Map<String, String> map = new HashMap<>(System.getenv());
    String deadline = System.getProperty(BULK_DEADLINE);
    if (deadline != null) {
      map.put(BULK_DEADLINE, deadline);
    }
    return Map.copyOf(map);
  }

  /**
   * Reads and validates every variable.
   *
   * @throws ConfigException naming the first variable that is wrong
   */
  public static Config from(Map<String, String> env) {
    URI endpoint = endpoint(value(env, EnvVars.DATAFUSION_ENDPOINT).orElse(DEFAULT_ENDPOINT));
    String version = value(env, EnvVars.DATAFUSION_API_VERSION).orElse("v1");
    if (!version.equals("v1") && !version.equals("v1beta1")) {
      throw new ConfigException(
          EnvVars.DATAFUSION_API_VERSION, "must be v1 or v1beta1, got '" + version + "'");
    }
    List<ParentPattern> allowed;
    try {
      allowed = ParentPattern.parseList(value(env, EnvVars.ALLOWED_PARENTS).orElse(""));
    } catch (InvalidNameException e) {
      throw new ConfigException(EnvVars.ALLOWED_PARENTS, e.getMessage());
    }
    Optional<String> topic = value(env, EnvVars.OUTCOME_TOPIC);
    if (topic.isPresent() && !TOPIC.matcher(topic.get()).matches()) {
      throw new ConfigException(
          EnvVars.OUTCOME_TOPIC,
          "must be projects/{project}/topics/{topic}, got '" + topic.get() + "'");
    }
    int rpm = DEFAULT_REQUESTS_PER_MINUTE;
    Optional<String> rpmText = value(env, EnvVars.REQUESTS_PER_MINUTE);
    if (rpmText.isPresent()) {
      try {
        rpm = Integer.parseInt(rpmText.get());
      } catch (NumberFormatException e) {
        rpm = -1;
      }
      if (rpm < 1 || rpm > 1_000_000) {
        throw new ConfigException(
            EnvVars.REQUESTS_PER_MINUTE,
            "must be a whole number from 1 to 1000000, got '" + rpmText.get() + "'");
      }
    }
    Duration maxWait = DEFAULT_MAX_WAIT;
    Optional<String> maxWaitText = value(env, EnvVars.MAX_WAIT);
    if (maxWaitText.isPresent()) {
      try {
        maxWait = Durations.parse(maxWaitText.get());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(EnvVars.MAX_WAIT, e.getMessage());
      }
      if (maxWait.compareTo(Duration.ofHours(1)) > 0) {
        throw new ConfigException(
            EnvVars.MAX_WAIT, "must be at most 1h, got '" + maxWaitText.get() + "'");
      }
    }
    Optional<String> emulator = value(env, EnvVars.PUBSUB_EMULATOR_HOST);
    return new Config(
        endpoint,
        version,
        allowed,
        topic,
        rpm,
        maxWait,
        emulator,
        bulkDeadline(value(env, BULK_DEADLINE)),
        value(env, GOOGLE_CLOUD_PROJECT));
  }

  private static Duration bulkDeadline(Optional<String> text) {
    if (text.isEmpty()) {
      return MAX_BULK_DEADLINE;
    }
    Duration d;
    try {
      d = Durations.parse(text.get());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(BULK_DEADLINE, e.getMessage());
    }
    if (d.compareTo(MIN_BULK_DEADLINE) < 0 || d.compareTo(MAX_BULK_DEADLINE) > 0) {
      throw new ConfigException(
          BULK_DEADLINE,
          "must be between "
              + MIN_BULK_DEADLINE.toSeconds()
              + "s and "
              + MAX_BULK_DEADLINE.toSeconds()
              + "s (the bulk function's timeout), got '"
              + text.get()
              + "'");
    }
    return d;
  }

  /** Whether {@code ALLOWED_PARENTS} lets calls reach this location. */
  public boolean allows(LocationName parent) {
    return ParentPattern.allows(allowedParents, parent);
  }

  /**
   * Whether {@code ALLOWED_PARENTS} could allow some location of this project (a wildcard parent
   * {@code projects/P/locations/-} is refused when it could not).
   */
  public boolean allowsSomeLocationOf(ProjectName project) {
    return ParentPattern.allowsSomeLocationOf(allowedParents, project);
  }

  /** Whether the endpoint is plain HTTP (a loopback emulator): no access token is ever sent. */
  public boolean plainHttp() {
    return endpoint.getScheme().equals("http");
  }

  /** The wait a caller asked for, capped by {@code MAX_WAIT}. */
  public Duration capWait(Duration requested) {
    return requested.compareTo(maxWait) > 0 ? maxWait : requested;
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    String v = env.get(name) == null ? "" : Layout.strip(env.get(name));
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  private static URI endpoint(String text) {
    try {
      return Endpoint.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(EnvVars.DATAFUSION_ENDPOINT, e.getMessage());
    }
  }
}
