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

  /** The resource name, {@code projects/p/locations/l}. */
  @Override
  public String toString() {
    return "projects/" + project + "/locations/" + location;
  }
}
