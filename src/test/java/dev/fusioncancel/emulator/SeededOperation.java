package dev.fusioncancel.emulator;

import java.time.Instant;

/** An operation as seeded into the emulator, with every default filled in. */
public record SeededOperation(
    String name, Behaviour behaviour, String verb, String target, Instant createTime) {

  /** The {@code projects/P/locations/L} part of the name. */
  public String parent() {
    return name.substring(0, name.indexOf("/operations/"));
  }

  /** The last segment of the name, the operation id. */
  public String id() {
    return name.substring(name.lastIndexOf('/') + 1);
  }
}
