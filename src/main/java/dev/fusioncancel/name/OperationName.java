package dev.fusioncancel.name;

/**
 * A validated {@code projects/{project}/locations/{location}/operations/{operation}}. Only values
 * of this type ever reach a URL, so a URL can hold nothing the rules did not allow.
 */
public record OperationName(String project, String location, String operation) {
  private static final String SHAPE = "projects/{project}/locations/{location}/operations/{id}";

  public OperationName {
    NameRules.project(project, SHAPE);
    NameRules.location(location, SHAPE);
    if (operation == null
        || !NameRules.OPERATION.matcher(operation).matches()
        || operation.equals(".")
        || operation.equals("..")) {
      throw new InvalidNameException(
          "invalid operation id '"
              + operation
              + "': 1 to 128 of A-Z a-z 0-9 _ . ~ -, not '.' or '..'; expected "
              + SHAPE);
    }
  }

  /** Parses an operation name, refusing anything that is not exactly the contract's shape. */
  public static OperationName parse(String input) {
    String[] parts = NameRules.segments(input, 6, SHAPE);
    NameRules.literal(parts, 0, "projects", SHAPE);
    NameRules.literal(parts, 2, "locations", SHAPE);
    NameRules.literal(parts, 4, "operations", SHAPE);
    return new OperationName(parts[1], parts[3], parts[5]);
  }

  /** The location this operation belongs to. */
  public LocationName parent() {
    return new LocationName(project, location);
  }

  // equals and hashCode are written out, as in LocationName (no ObjectMethods bootstrap).
  @Override
  public boolean equals(Object o) {
    return o instanceof OperationName other
        && project.equals(other.project)
        && location.equals(other.location)
        && operation.equals(other.operation);
  }

  @Override
  public int hashCode() {
    return (31 * project.hashCode() + location.hashCode()) * 31 + operation.hashCode();
  }

  /** The resource name, {@code projects/p/locations/l/operations/o}. */
  @Override
  public String toString() {
    return "projects/" + project + "/locations/" + location + "/operations/" + operation;
  }
}
