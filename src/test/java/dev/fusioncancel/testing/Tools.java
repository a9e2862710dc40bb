package dev.fusioncancel.testing;

import java.io.File;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the command-line tools integration tests drive; with {@code CI=true} a missing one fails.
 */
public final class Tools {
  private Tools() {}

  /** The executable {@code name} on {@code PATH}, if any. */
  public static Optional<String> onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, name);
      if (f.canExecute()) {
        return Optional.of(f.getAbsolutePath());
      }
    }
    return Optional.empty();
  }

  /**
   * The executable {@code name}; when it is missing the test fails under {@code CI=true} and is
   * skipped loudly otherwise, saying what stays {@code untested}.
   */
  public static String require(String name, String untested) {
    Optional<String> found = onPath(name);
    if (found.isEmpty()) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException("CI=true but " + name + " is not installed");
      }
      Assumptions.abort("SKIPPED LOUDLY: " + name + " not installed; " + untested + " untested");
    }
    return found.get();
  }
}
