package dev.fusioncancel.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.fusioncancel.json.StrictJsonReader;
import dev.fusioncancel.json.StrictUtf8;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict reading of small JSON request bodies: valid UTF-8, one object, known fields only, each at
 * most once ({@link StrictJsonReader}, the reader bulk requests use too).
 */
public final class JsonBodies {
  private JsonBodies() {}

  /**
   * Parses a body that must be a JSON object whose keys are all in {@code allowed}.
   *
   * @throws IllegalArgumentException with a message fit for a 400 answer
   */
  public static JsonObject object(byte[] body, Set<String> allowed) {
    String text = utf8(body);
    JsonElement root;
    try {
      StrictJsonReader reader = new StrictJsonReader(text);
      root = reader.readTree();
      reader.expectEnd();
    } catch (StrictJsonReader.DuplicateFieldException e) {
      throw new IllegalArgumentException("body is not valid: " + e.getMessage());
    } catch (JsonParseException | java.io.IOException | IllegalStateException e) {
      throw new IllegalArgumentException("body is not valid JSON: " + shortMessage(e));
    }
    if (!root.isJsonObject()) {
      throw new IllegalArgumentException("body must be a JSON object");
    }
    JsonObject o = root.getAsJsonObject();
    Set<String> unknown = new TreeSet<>(o.keySet());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown field(s) " + quoted(unknown) + "; allowed: " + quoted(new TreeSet<>(allowed)));
    }
    return o;
  }

  /** A string field, or null when absent; any other JSON type is refused. */
  public static String optionalString(JsonObject o, String key) {
    JsonElement e = o.get(key);
    if (e == null) {
      return null;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException("field '" + key + "' must be a string");
    }
    return e.getAsString();
  }

  /** Decodes UTF-8, refusing malformed bytes instead of replacing them. */
  public static String utf8(byte[] body) {
    return StrictUtf8.decode(body)
        .orElseThrow(() -> new IllegalArgumentException("body is not valid UTF-8"));
  }

  private static String quoted(Set<String> keys) {
    StringBuilder sb = new StringBuilder();
    for (String k : keys) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      String shown = k.length() > 40 ? k.substring(0, 40) + "..." : k;
      sb.append('\'').append(shown).append('\'');
      if (sb.length() > 300) {
        sb.append(", ...");
        break;
      }
    }
    return sb.toString();
  }

  private static String shortMessage(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int see = m.indexOf("\nSee ");
    if (see > 0) {
      m = m.substring(0, see);
    }
    return m.length() > 200 ? m.substring(0, 200) + "..." : m;
  }
}
