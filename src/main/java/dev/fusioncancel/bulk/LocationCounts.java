package dev.fusioncancel.bulk;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.fusioncancel.name.InvalidNameException;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Outcome;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bulk summary's breakdown by location: how many operations of each location ended in each
 * outcome, keyed by the full parent name ({@code projects/P/locations/L}: a request may span
 * projects, so a bare location id could be ambiguous), and the locations a wildcard found that
 * {@code ALLOWED_PARENTS} left out. Every location in scope appears, {@code {}} when nothing of it
 * was selected; results whose name is invalid have no location and count only in the total.
 *
 * @param byLocation parent name to its non-zero outcome counts, sorted by name
 * @param notAllowed found by a wildcard but outside {@code ALLOWED_PARENTS}: no call was made
 */
public record LocationCounts(
    Map<String, Map<Outcome, Integer>> byLocation, List<String> notAllowed) {

  public LocationCounts {
    TreeMap<String, Map<Outcome, Integer>> copy = new TreeMap<>();
    byLocation.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
    byLocation = java.util.Collections.unmodifiableMap(copy);
    notAllowed = List.copyOf(notAllowed);
  }

  /** Nothing by location (a summary of an invalid request). */
  public static final LocationCounts NONE = new LocationCounts(Map.of(), List.of());

  /** The counts of {@code results} by location, with every location of {@code scope}. */
  public static LocationCounts of(LocationExpansion.Scope scope, Collection<CancelResult> results) {
    Map<String, Map<Outcome, Integer>> by = new TreeMap<>();
    for (LocationName l : scope.locations()) {
      by.put(l.toString(), new EnumMap<>(Outcome.class));
    }
    for (CancelResult r : results) {
      String parent;
      try {
        parent = OperationName.parse(r.name()).parent().toString();
      } catch (InvalidNameException invalid) {
        continue;
      }
      by.computeIfAbsent(parent, p -> new EnumMap<>(Outcome.class))
          .merge(r.outcome(), 1, Integer::sum);
    }
    return new LocationCounts(
        by, scope.notAllowed().stream().map(LocationName::toString).sorted().toList());
  }

  /**
   * Adds {@code "locations": {"projects/p/locations/l": {"CANCELLED": 2, ...}}} (outcomes in the
   * contract's order, non-zero only) and, when a wildcard found any, {@code "locationsNotAllowed":
   * [...]}.
   */
  void addTo(JsonObject summary) {
    if (byLocation.isEmpty() && notAllowed.isEmpty()) {
      return;
    }
    JsonObject locations = new JsonObject();
    byLocation.forEach(
        (parent, counts) -> {
          JsonObject c = new JsonObject();
          for (Outcome o : Outcome.values()) {
            Integer n = counts.get(o);
            if (n != null && n > 0) {
              c.addProperty(o.name(), n);
            }
          }
          locations.add(parent, c);
        });
    summary.add("locations", locations);
    if (!notAllowed.isEmpty()) {
      JsonArray a = new JsonArray();
      notAllowed.forEach(a::add);
      summary.add("locationsNotAllowed", a);
    }
  }
}
