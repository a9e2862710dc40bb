package dev.fusioncancel.name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OperationNameTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "projects/my-project/locations/us-central1/operations/operation-123",
        "projects/example.com:my-project/locations/europe-west1/operations/a",
        "projects/123456789012/locations/asia-east1/operations/A_b.c~d-e",
        "projects/abcdef/locations/l/operations/..."
      })
  void parse_acceptsContractNames_andRoundTrips(String input) {
    assertEquals(input, OperationName.parse(input).toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "projects/my-project/locations/us-central1/operations/",
        "projects/my-project/locations/us-central1/operations/.",
        "projects/my-project/locations/us-central1/operations/..",
        "projects/my-project/locations/us-central1/operations/%2e%2e",
        "projects/my-project/locations/us-central1/operations/a%2Fb",
        "projects/my-project/locations/us-central1/operations/a?x=1",
        "projects/my-project/locations/us-central1/operations/a#frag",
        "projects/my-project/locations/us-central1/operations/a:delete",
        "projects/my-project/locations/us-central1/operations/a\\b",
        "projects/my-project/locations/us-central1/operations/a\r\nHost: evil",
        "projects/my-project/locations/us-central1/operations/a\u0000",
        "projects/my-project/locations/us-central1/operations/a b",
        "projects/my-project/locations/us-central1/operations/\u0430pple",
        "projects/my-project/locations/us-central1/operations/a/b",
        "/projects/my-project/locations/us-central1/operations/a",
        "projects/my-project/locations/us-central1/operations/a/",
        "projects//locations/us-central1/operations/a",
        "projects/My-Project/locations/us-central1/operations/a",
        "projects/proj/locations/us-central1/operations/a",
        "projects/my-project/locations/US-central1/operations/a",
        "projects/my-project/locations/1us/operations/a",
        "projects/my-project/zones/us-central1/operations/a",
        "https://evil.example.com/v1/projects/my-project/locations/l/operations/a",
        "//evil.example.com/projects/my-project/locations/l/operations/a",
        "projects/my-project/locations/us-central1/instances/a",
        "projects/my-project-/locations/us-central1/operations/a",
        "projects/0123/locations/us-central1/operations/a",
      })
  void parse_refusesHostileOrMalformedNames(String input) {
    assertThrows(InvalidNameException.class, () -> OperationName.parse(input));
  }

  @org.junit.jupiter.api.Test
  void parse_refusesOperationIdsOver128Characters_andHugeInput() {
    String prefix = "projects/my-project/locations/us-central1/operations/";
    assertEquals(128, OperationName.parse(prefix + "a".repeat(128)).operation().length());
    assertThrows(InvalidNameException.class, () -> OperationName.parse(prefix + "a".repeat(129)));
    assertThrows(InvalidNameException.class, () -> OperationName.parse("a".repeat(10_240)));
    assertThrows(InvalidNameException.class, () -> OperationName.parse(null));
  }

  @org.junit.jupiter.api.Test
  void parent_isTheLocation() {
    OperationName n = OperationName.parse("projects/my-project/locations/us-east1/operations/x");
    assertEquals(LocationName.parse("projects/my-project/locations/us-east1"), n.parent());
  }
}
