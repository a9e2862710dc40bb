package dev.fusioncancel.name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every string is either refused or yields a name that can only form a clean URL path. */
class OperationNamePropertyTest {
  private static final Pattern SAFE_PATH =
      Pattern.compile(
          "projects/[a-z0-9.:-]+/locations/[a-z][a-z0-9-]*/operations/[A-Za-z0-9_.~-]{1,128}");

  @Property(tries = 3000)
  void anyString_isRefusedOrSafe(@ForAll("hostile") String input) {
    OperationName name;
    try {
      name = OperationName.parse(input);
    } catch (InvalidNameException refused) {
      return;
    }
    String path = name.toString();
    assertEquals(input, path, "an accepted name is used exactly as given");
    assertTrue(SAFE_PATH.matcher(path).matches(), path);
    assertTrue(!name.operation().equals(".") && !name.operation().equals(".."));
  }

  @Property(tries = 1000)
  void validNames_alwaysParse(@ForAll("valid") String input) {
    assertEquals(input, OperationName.parse(input).toString());
  }

  @Provide
  Arbitrary<String> hostile() {
    Arbitrary<String> segment =
        Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(20),
            Arbitraries.strings().withChars("a-z0-9.%/:?#\\~_ \r\n\u0000").ofMaxLength(12),
            Arbitraries.of("..", ".", "%2e%2e", "%2F", "a:cancel", "my-project", "us-central1"));
    Arbitrary<String> structured =
        Combinators.combine(segment, segment, segment)
            .as((p, l, o) -> "projects/" + p + "/locations/" + l + "/operations/" + o);
    return Arbitraries.oneOf(structured, Arbitraries.strings().all().ofMaxLength(200));
  }

  @Provide
  Arbitrary<String> valid() {
    Arbitrary<String> project =
        Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'z').ofLength(1),
                Arbitraries.strings()
                    .withChars("abcdefghijklmnopqrstuvwxyz0123456789-")
                    .ofMinLength(4)
                    .ofMaxLength(28),
                Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofLength(1))
            .as((a, b, c) -> a + b + c);
    Arbitrary<String> location =
        Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'z').ofLength(1),
                Arbitraries.strings()
                    .withChars("abcdefghijklmnopqrstuvwxyz0123456789-")
                    .ofMaxLength(20))
            .as((a, b) -> a + b);
    Arbitrary<String> op =
        Arbitraries.strings()
            .withChars("ABCXYZabcxyz0189_.~-")
            .ofMinLength(1)
            .ofMaxLength(128)
            .filter(s -> !s.equals(".") && !s.equals(".."));
    return Combinators.combine(project, location, op)
        .as((p, l, o) -> "projects/" + p + "/locations/" + l + "/operations/" + o);
  }
}
