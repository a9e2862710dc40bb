package dev.fusioncancel.name;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code ALLOWED_PARENTS}: {@code projects/P/locations/L} where {@code *} may stand
 * for a whole segment.
 */
public record ParentPattern(String project, String location) {
  private static final String SHAPE = "projects/{project|*}/locations/{location|*}";

  public ParentPattern {
    if (!project.equals("*")) {
      NameRules.project(project, SHAPE);
    }
    if (!location.equals("*")) {
      NameRules.location(location, SHAPE);
    }
  }

  /** Parses one pattern. */
  public static ParentPattern parse(String input) {
    String[] parts = NameRules.segments(input, 4, SHAPE);
    NameRules.literal(parts, 0, "projects", SHAPE);
    NameRules.literal(parts, 2, "locations", SHAPE);
    return new ParentPattern(parts[1], parts[3]);
  }

  /**
   * Parses a comma-separated list; {@link Layout} around entries and blank entries are ignored, an
   * empty list means "any"; a control character anywhere is refused, as in a name.
   */
  public static List<ParentPattern> parseList(String input) {
    List<ParentPattern> result = new ArrayList<>();
    if (input == null) {
      return result;
    }
    for (String part : input.split(",", -1)) {
      String trimmed = Layout.strip(part);
      if (!trimmed.isEmpty()) {
        result.add(parse(trimmed));
      }
    }
    return List.copyOf(result);
  }

  /** Whether this pattern covers the location. */
  public boolean matches(LocationName parent) {
    return (project.equals("*") || project.equals(parent.project()))
        && (location.equals("*") || location.equals(parent.location()));
  }

  /** True when the list is empty (no restriction) or one pattern covers the location. */
  public static boolean allows(List<ParentPattern> patterns, LocationName parent) {
    return patterns.isEmpty() || patterns.stream().anyMatch(p -> p.matches(parent));
  }

  /** True when the list is empty or one pattern's project is this project or {@code *}. */
  public static boolean allowsSomeLocationOf(List<ParentPattern> patterns, ProjectName project) {
    return patterns.isEmpty()
        || patterns.stream()
            .anyMatch(p -> p.project.equals("*") || p.project.equals(project.project()));
  }

  @Override
  public String toString() {
    return "projects/" + project + "/locations/" + location;
  }
}
