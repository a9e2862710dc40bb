package dev.fusioncancel.emulator;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to seed: an operation name and behaviour, with optional verb, target and create time (null =
 * default). Build with {@code Seed.of(name, behaviour).verb("restart")}.
 */
public record Seed(
    String name, Behaviour behaviour, String verb, String target, Instant createTime) {

  static final Pattern NAME =
      Pattern.compile("projects/([^/\\s]+)/locations/([^/\\s]+)/operations/([^/\\s:]+)");

  /** Validates the name's shape ({@code projects/P/locations/L/operations/O}). */
  public Seed {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(behaviour, "behaviour");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "operation name must be projects/P/locations/L/operations/O: " + name);
    }
  }

  /** A seed with default verb ({@code update}), target ({@code .../instances/inst-1}) and time. */
  public static Seed of(String name, Behaviour behaviour) {
    return new Seed(name, behaviour, null, null, null);
  }

  /** This seed with another verb. */
  public Seed verb(String verb) {
    return new Seed(name, behaviour, verb, target, createTime);
  }

  /** This seed with another target resource name. */
  public Seed target(String target) {
    return new Seed(name, behaviour, verb, target, createTime);
  }

  /** This seed with another create time. */
  public Seed createTime(Instant createTime) {
    return new Seed(name, behaviour, verb, target, createTime);
  }

  /** The {@code projects/P/locations/L} part of the name. */
  public String parent() {
    return name.substring(0, name.indexOf("/operations/"));
  }
}
