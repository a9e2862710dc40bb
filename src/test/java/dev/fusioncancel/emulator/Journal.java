package dev.fusioncancel.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every API request the emulator answered, in arrival order. The {@code Authorization} header is
 * recorded only as present or absent: token values are never stored.
 */
public final class Journal {

  /**
   * One request: method, raw path, raw query (or null), whether an {@code Authorization} header
   * came, the HTTP status answered (0 for a connection reset) and the emulator clock's time.
   */
  public record Entry(
      String method, String path, String query, boolean authorization, int status, Instant time) {}

  // Guarded by itself; appends are cheap, readers copy.
  private final List<Entry> entries = new ArrayList<>();

  Journal() {}

  void add(Entry entry) {
    synchronized (entries) {
      entries.add(entry);
    }
  }

  /** A snapshot of all entries, oldest first. */
  public List<Entry> entries() {
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  /** How many requests were recorded. */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  /** Forgets all entries. */
  public void clear() {
    synchronized (entries) {
      entries.clear();
    }
  }

  /** How many requests had this method and a raw path matching {@code path}. */
  public long count(String method, Predicate<String> path) {
    return entries().stream()
        .filter(e -> e.method().equalsIgnoreCase(method) && path.test(e.path()))
        .count();
  }

  /** How many {@code :cancel} calls were made on this operation name (any API version). */
  public long cancelCount(String name) {
    return count("POST", p -> p.endsWith("/" + name + ":cancel"));
  }

  /** How many GETs were made on this operation name (any API version). */
  public long getCount(String name) {
    return count("GET", p -> p.endsWith("/" + name));
  }

  /** How many list calls were made for {@code projects/P/locations/L} (any API version). */
  public long listCount(String parent) {
    return count("GET", p -> p.endsWith("/" + parent + "/operations"));
  }

  /** How many {@code projects.locations.list} calls were made for project P (any version). */
  public long locationsListCount(String project) {
    return count("GET", p -> p.endsWith("/projects/" + project + "/locations"));
  }

  /** How many requests were answered with this HTTP status (0 = connection reset). */
  public long statusCount(int status) {
    return entries().stream().filter(e -> e.status() == status).count();
  }
}
