package dev.fusioncancel.bulk;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Untrusted input: whatever arrives, the parser answers a request or a clear refusal. */
class BulkRequestJsonPropertyTest {

  @Property(tries = 500)
  void parse_anyBytes_returnsOrRefusesCleanly(@ForAll byte[] data) {
    parseOrRefuse(data);
  }

  @Property(tries = 500)
  void parse_jsonLikeText_returnsOrRefusesCleanly(@ForAll("jsonish") String text) {
    try {
      BulkRequest r = BulkRequestJson.parse(text);
      if (r.operations().isEmpty() && r.parents().isEmpty()) {
        throw new AssertionError("accepted a request without operations or parents: " + text);
      }
    } catch (InvalidRequestException expected) {
      // a refusal is a fine answer
    }
  }

  @Provide
  Arbitrary<String> jsonish() {
    return Arbitraries.oneOf(
            Arbitraries.of(
                "{",
                "}",
                "[",
                "]",
                ",",
                ":",
                "\"operations\"",
                "\"parents\"",
                "\"limit\"",
                "\"olderThan\"",
                "\"6h\"",
                "\"projects/proj-a/locations/us-central1\"",
                "\"projects/proj-a/locations/l/operations/o\"",
                "1",
                "-1",
                "1e400",
                "true",
                "null",
                "\"\\u0000\""),
            Arbitraries.strings().ofMaxLength(5))
        .list()
        .ofMaxSize(30)
        .map(parts -> String.join("", parts));
  }

  private static void parseOrRefuse(byte[] data) {
    try {
      BulkRequestJson.parse(data);
    } catch (InvalidRequestException expected) {
      // a refusal is a fine answer
    }
  }
}
