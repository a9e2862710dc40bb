package dev.fusioncancel.name;

import java.util.Optional;

/**
 * A validated {@code projects/{project}}: the owner of the {@code locations} collection, and of the
 * AIP-159 wildcard parent {@code projects/{project}/locations/-} ("every location of the project").
 * The wildcard is only ever expanded through {@code projects.locations.list}; it is never part of a
 * {@link LocationName}, so it can never reach an operations URL.
 */
public record ProjectName(String project) {
  private static final String SHAPE = "projects/{project}";
  private static final String WILDCARD_SHAPE = "projects/{project}/locations/-";

  public ProjectName {
    NameRules.project(project, SHAPE);
  }

  /**
   * The project of a wildcard parent {@code projects/P/locations/-}; empty for any other name
   * (which may still be a valid {@link LocationName}).
   *
   * @throws InvalidNameException when it has the wildcard's shape but an invalid project
   */
  public static Optional<ProjectName> ofWildcardParent(String input) {
    if (input == null || !input.endsWith("/locations/-")) {
      return Optional.empty();
    }
    String[] parts = NameRules.segments(input, 4, WILDCARD_SHAPE);
    NameRules.literal(parts, 0, "projects", WILDCARD_SHAPE);
    // parts[2] is "locations": four segments ending in /locations/- leave no other choice.
    return Optional.of(new ProjectName(NameRules.project(parts[1], WILDCARD_SHAPE)));
  }

  /** {@code projects/P/locations/-}. */
  public String wildcardParent() {
    return this + "/locations/-";
  }

  /**
   * The budget key of this project's {@code projects.locations.list}: the call names no region, so
   * no region's budget (that region's cancels) should pay for it; Data Fusion has no location
   * called {@code global}, so the key cannot collide with a real one, and it is paced at {@code
   * REQUESTS_PER_MINUTE} like every other key.
   */
  public LocationName locationsListBudgetKey() {
    return location("global");
  }

  /** The location {@code projects/P/locations/{location}} of this project. */
  public LocationName location(String location) {
    return new LocationName(project, location);
  }

  // equals and hashCode are written out, as in LocationName (no ObjectMethods bootstrap).
  @Override
  public boolean equals(Object o) {
    return o instanceof ProjectName other && project.equals(other.project);
  }

  @Override
  public int hashCode() {
    return project.hashCode();
  }

  /** The resource name, {@code projects/p}. */
  @Override
  public String toString() {
    return "projects/" + project;
  }
}
