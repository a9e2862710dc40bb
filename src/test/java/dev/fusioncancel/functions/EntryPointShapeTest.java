package dev.fusioncancel.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shape STYLE.md asks for, checked on the sources: entry points stay thin, and configuration
 * reaches the code only through {@code Config.from(Map)}.
 */
class EntryPointShapeTest {
  private static final Path MAIN = Path.of("src/main/java");

  @ParameterizedTest
  @ValueSource(strings = {"BulkCancelFunction", "CancelHttpFunction"})
  void entryPoint_isUnder100Lines(String name) throws IOException {
    Path file = MAIN.resolve("dev/fusioncancel/functions/" + name + ".java");
    long lines = Files.readAllLines(file).size();
    assertTrue(lines < 100, name + " has " + lines + " lines");
  }

  @Test
  void environmentAndSystemProperties_areReadOnlyWhereConfigBuildsItsMap() throws IOException {
    List<String> readers;
    try (Stream<Path> files = Files.walk(MAIN)) {
      readers =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(
                  p -> {
                    try {
                      String s = Files.readString(p);
                      return s.contains("System.getenv") || s.contains("System.getProperty");
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .map(p -> MAIN.relativize(p).toString().replace('\\', '/'))
              .sorted()
              .toList();
    }
    assertEquals(List.of("dev/fusioncancel/config/Config.java"), readers);
  }
}
