package dev.fusioncancel.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonParser;
import com.google.gson.stream.MalformedJsonException;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StrictJsonReaderTest {

  private static String tree(String text) throws IOException {
    StrictJsonReader r = new StrictJsonReader(text);
    String result = r.readTree().toString();
    r.expectEnd();
    return result;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"name\":\"a\",\"name\":\"b\"}|name",
        "{\"a\":{\"x\":1,\"x\":1}}|a.x",
        "{\"a\":[{\"x\":1},{\"y\":1,\"y\":2}]}|a[1].y",
        "[{\"k\":null,\"k\":null}]|[0].k"
      })
  void readTree_refusesADuplicateFieldAtAnyDepth_namingIt(String text, String field) {
    StrictJsonReader.DuplicateFieldException e =
        assertThrows(StrictJsonReader.DuplicateFieldException.class, () -> tree(text));
    assertEquals(field, e.field());
    assertEquals("field '" + field + "' appears twice", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"a\":{\"x\":1},\"b\":{\"x\":1}}",
        "[{\"x\":1},{\"x\":2}]",
        "{\"x\":{\"x\":{\"x\":1}}}",
        "{}",
        "\"s\""
      })
  void readTree_acceptsTheSameNameInDifferentObjects(String text) throws IOException {
    assertEquals(JsonParser.parseString(text).toString(), tree(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"{'a':1}", "{a:1}", "{\"a\":1,}", "[1,]", "{\"a\":1} x", "// c\n{}", "NaN", ""})
  void readTree_refusesWhatRfc8259Refuses(String text) {
    assertThrows(IOException.class, () -> tree(text));
  }

  @org.junit.jupiter.api.Test
  void readTree_refusesNestingDeeperThanTheLimit_withoutRecursing() throws IOException {
    String ok = "[".repeat(StrictJsonReader.MAX_DEPTH) + "]".repeat(StrictJsonReader.MAX_DEPTH);
    assertEquals(ok, tree(ok));
    String deep =
        "[".repeat(StrictJsonReader.MAX_DEPTH + 1) + "]".repeat(StrictJsonReader.MAX_DEPTH + 1);
    assertThrows(MalformedJsonException.class, () -> tree(deep));
    String huge = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
    assertThrows(MalformedJsonException.class, () -> tree(huge));
  }
}
