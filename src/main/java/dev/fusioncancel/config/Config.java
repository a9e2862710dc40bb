package dev.fusioncancel.config;

import dev.fusioncancel.name.InvalidNameException;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.ParentPattern;
import dev.fusioncancel.name.ProjectName;
import dev.fusioncancel.time.Durations;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The validated configuration of both functions, read from a map (the environment in production) so
 * that tests pass their own.
 */
public record Config(
    URI endpoint,
    String apiVersion,
    List<ParentPattern> allowedParents,
    Optional<String> outcomeTopic,
    int requestsPerMinute,
    Duration maxWait,
    Optional<String> pubsubEmulatorHost) {

  public static final String DEFAULT_ENDPOINT = "https://datafusion.googleapis.com";
  public static final int DEFAULT_REQUESTS_PER_MINUTE = 540;
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(60);
  private static final Pattern TOPIC =
      Pattern.compile(
          "projects/(?:(?:[a-z0-9-]+\\.)+[a-z]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]"
              + "/topics/[A-Za-z][A-Za-z0-9._~+%-]{2,254}");

  public Config {
    allowedParents = List.copyOf(allowedParents);
  }

  /** The configuration of the running process. */
  public static Config fromEnvironment() {
    return from(System.getenv());
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
    return new Config(endpoint, version, allowed, topic, rpm, maxWait, emulator);
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
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  private static URI endpoint(String text) {
    String name = EnvVars.DATAFUSION_ENDPOINT;
    URI uri;
    try {
      uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    } catch (URISyntaxException e) {
      throw new ConfigException(name, "not a URL: '" + text + "'");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())) {
      throw new ConfigException(
          name,
          "must be scheme://host[:port] with no path, query or user info, got '" + text + "'");
    }
    if (scheme.equals("http")) {
      if (!isLoopback(uri.getHost())) {
        throw new ConfigException(
            name, "http:// is accepted only for loopback hosts (emulators), got '" + text + "'");
      }
    } else if (!scheme.equals("https")) {
      throw new ConfigException(
          name, "must use https:// (or http:// on loopback), got '" + text + "'");
    }
    return uri;
  }

  private static boolean isLoopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false; // never resolve names: only literal loopback addresses count
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (Exception e) {
      return false;
    }
  }
}
