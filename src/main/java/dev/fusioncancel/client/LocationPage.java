package dev.fusioncancel.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.fusioncancel.name.InvalidNameException;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.ProjectName;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of {@code projects.locations.list}: the locations' names (labels and metadata are read
 * past: nothing here needs them); {@code nextPageToken} is null on the last page.
 */
public record LocationPage(List<LocationName> locations, String nextPageToken) {
  public LocationPage {
    locations = List.copyOf(locations);
    nextPageToken = nextPageToken == null || nextPageToken.isEmpty() ? null : nextPageToken;
  }

  /**
   * Reads a {@code ListLocationsResponse} strictly: {@code locations} (absent or an array of
   * objects), each with a {@code name} of the shape {@code projects/P/locations/L} whose {@code L}
   * passes the location rules, a {@code locationId} (when present) equal to {@code L}, {@code
   * labels} and {@code metadata} (when present) objects; {@code nextPageToken} absent or a string.
   * Other fields are ignored (a service may add some). {@code P} may be the project's number (some
   * services answer with it); the location returned is always of {@code project}, so {@code
   * ALLOWED_PARENTS} is judged on the name the request used.
   *
   * @throws IllegalArgumentException naming what broke the shape
   */
  public static LocationPage fromJson(ProjectName project, JsonObject root) {
    List<LocationName> locations = new ArrayList<>();
    JsonElement list = root.get("locations");
    if (list != null && !list.isJsonNull()) {
      if (!list.isJsonArray()) {
        throw new IllegalArgumentException("'locations' is not an array");
      }
      for (JsonElement e : list.getAsJsonArray()) {
        locations.add(location(project, e));
      }
    }
    JsonElement token = root.get("nextPageToken");
    if (token != null && !token.isJsonNull() && !isString(token)) {
      throw new IllegalArgumentException("'nextPageToken' is not a string");
    }
    return new LocationPage(
        locations, token == null || token.isJsonNull() ? null : token.getAsString());
  }

  private static LocationName location(ProjectName project, JsonElement e) {
    if (!e.isJsonObject()) {
      throw new IllegalArgumentException("a location is not an object");
    }
    JsonObject o = e.getAsJsonObject();
    JsonElement name = o.get("name");
    if (name == null || !isString(name)) {
      throw new IllegalArgumentException("a location has no string 'name'");
    }
    LocationName parsed;
    try {
      parsed = LocationName.parse(name.getAsString());
    } catch (InvalidNameException bad) {
      throw new IllegalArgumentException("location name: " + bad.getMessage(), bad);
    }
    if (!parsed.project().equals(project.project()) && !parsed.project().matches("[0-9]+")) {
      throw new IllegalArgumentException(
          "location " + parsed + " is not of " + project + " (nor of a project number)");
    }
    JsonElement id = o.get("locationId");
    if (id != null
        && !id.isJsonNull()
        && !(isString(id) && id.getAsString().equals(parsed.location()))) {
      throw new IllegalArgumentException("locationId of " + parsed + " does not match its name");
    }
    for (String field : List.of("labels", "metadata")) {
      JsonElement v = o.get(field);
      if (v != null && !v.isJsonNull() && !v.isJsonObject()) {
        throw new IllegalArgumentException("'" + field + "' of " + parsed + " is not an object");
      }
    }
    return project.location(parsed.location());
  }

  private static boolean isString(JsonElement e) {
    return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
  }
}
