package dev.fusioncancel.emulator;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.fusioncancel.rpc.Code;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulator's {@code projects.locations} collection ({@code google.cloud.location.Locations}, as
 * Data Fusion serves it under {@code v1} and {@code v1beta1}): every location an operation was
 * seeded in, plus any added with {@link #add}. Locations are never forgotten when their operations
 * are removed (a region does not disappear), only by {@link FusionEmulator#reset()}.
 *
 * <p>Shape: {@code {"locations": [{"name": "projects/P/locations/L", "locationId": "L", "labels":
 * {"cloud.googleapis.com/region": "L"}}], "nextPageToken": "..."}}. The region label is the
 * Locations API's documented example; whether Data Fusion sets it, and what its {@code metadata}
 * holds, is not documented, so {@code metadata} appears only for locations added with one.
 */
public final class Locations {
  private static final Pattern NAME = Pattern.compile("projects/([^/\\s]+)/locations/([^/\\s]+)");

  /** One stored location: its labels and (possibly null) metadata. */
  private record Stored(String name, String locationId, Map<String, String> labels, JsonObject m) {}

  private final NavigableMap<String, Stored> byName = new ConcurrentSkipListMap<>();
  private final Set<String> deniedProjects = ConcurrentHashMap.newKeySet();

  Locations() {}

  /**
   * Adds (or replaces) a location {@code projects/P/locations/L} with the default region label and
   * no metadata.
   */
  public Locations add(String name) {
    return add(name, null, null);
  }

  /**
   * Adds (or replaces) a location with these labels (null: the region label) and metadata (null:
   * none; otherwise an object such as {@code {"@type": "type.googleapis.com/..."}}).
   */
  public Locations add(String name, Map<String, String> labels, JsonObject metadata) {
    Matcher m = NAME.matcher(Objects.requireNonNull(name, "name"));
    if (!m.matches()) {
      throw new IllegalArgumentException("location name must be projects/P/locations/L: " + name);
    }
    String id = m.group(2);
    byName.put(
        name,
        new Stored(
            name,
            id,
            labels == null ? Map.of("cloud.googleapis.com/region", id) : Map.copyOf(labels),
            metadata == null ? null : metadata.deepCopy()));
    return this;
  }

  /** Every location name stored, sorted. */
  public Set<String> names() {
    return Set.copyOf(byName.keySet());
  }

  /**
   * Makes {@code projects.locations.list} of this project answer 403 PERMISSION_DENIED, as it does
   * for a caller without {@code datafusion.locations.list}.
   */
  public Locations denyList(String project) {
    deniedProjects.add(Objects.requireNonNull(project, "project"));
    return this;
  }

  /** Forgets every location and denial. */
  void clear() {
    byName.clear();
    deniedProjects.clear();
  }

  /** Records the parent of a seeded operation, keeping what was stored for it before. */
  void seen(String parent) {
    if (!byName.containsKey(parent)) {
      add(parent);
    }
  }

  /**
   * One page of {@code GET /{v}/projects/{project}/locations}, after {@code after} (a location name
   * from a page token, or null), in name order.
   *
   * @throws Refusal with the error to answer
   */
  JsonObject list(String project, int pageSize, String after) {
    if (deniedProjects.contains(project)) {
      throw new Refusal(
          Code.PERMISSION_DENIED,
          "Permission 'datafusion.locations.list' denied on 'projects/" + project + "'.");
    }
    String prefix = "projects/" + project + "/locations/";
    NavigableMap<String, Stored> range =
        byName.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
    if (after != null) {
      range = range.tailMap(after, false);
    }
    JsonArray page = new JsonArray();
    String last = null;
    boolean more = false;
    for (Stored s : range.values()) {
      if (page.size() == pageSize) {
        more = true;
        break;
      }
      page.add(toJson(s));
      last = s.name();
    }
    JsonObject body = new JsonObject();
    if (page.size() > 0) {
      body.add("locations", page);
    }
    if (more) {
      body.addProperty("nextPageToken", FusionEmulator.encodeToken(last));
    }
    return body;
  }

  /**
   * The location resource, {@code GET /{v}/projects/P/locations/L}.
   *
   * @throws Refusal NOT_FOUND when it is not stored
   */
  JsonObject get(String name) {
    Stored s = byName.get(name);
    if (s == null) {
      throw new Refusal(Code.NOT_FOUND, "Location " + name + " not found.");
    }
    return toJson(s);
  }

  /** Whether a page token's location name belongs to this project's collection. */
  static boolean inCollection(String project, String locationName) {
    Matcher m = NAME.matcher(locationName);
    return m.matches() && m.group(1).equals(project);
  }

  private static JsonObject toJson(Stored s) {
    JsonObject o = new JsonObject();
    o.addProperty("name", s.name());
    o.addProperty("locationId", s.locationId());
    JsonObject labels = new JsonObject();
    s.labels().forEach(labels::addProperty);
    o.add("labels", labels);
    if (s.m() != null) {
      o.add("metadata", s.m().deepCopy());
    }
    return o;
  }
}
