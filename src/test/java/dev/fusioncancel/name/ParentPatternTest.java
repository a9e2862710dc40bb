package dev.fusioncancel.name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fusioncancel.config.Config;
import dev.fusioncancel.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParentPatternTest {

  /**
   * Fuzzing finding {@code finding-allowed-parents-control-character-ignored} (NameFuzzTestInputs):
   * {@code String.trim()} dropped control characters around an entry, so {@code ALLOWED_PARENTS}
   * with a stray control byte was accepted as if it were not there. Only spaces and tabs around an
   * entry are ignored; anything else is refused like inside a name.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "\u0000",
        "projects/p-roj1/locations/l\u0001",
        "\u001bprojects/p-roj1/locations/l",
        "projects/p-roj1/locations/l,\u0007",
        "projects/p-roj1/locations/l\u2003",
        "\u00a0projects/p-roj1/locations/l"
      })
  void parseList_controlOrNonAsciiSpaceAroundAnEntry_isRefused_findingControlCharacterIgnored(
      String list) {
    assertThrows(InvalidNameException.class, () -> ParentPattern.parseList(list));
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> Config.from(java.util.Map.of("ALLOWED_PARENTS", list)));
    assertEquals("ALLOWED_PARENTS", e.variable());
  }

  @Test
  void parseList_spacesTabsAndBlankEntries_areIgnored() {
    assertEquals(
        List.of(new ParentPattern("proj-a", "*"), new ParentPattern("*", "us-east1")),
        ParentPattern.parseList(
            " projects/proj-a/locations/* ,\t,, projects/*/locations/us-east1\t"));
    assertEquals(List.of(), ParentPattern.parseList(" , \t"));
  }
}
