package dev.fusioncancel.json;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * The one reader of untrusted JSON (HTTP bodies and bulk requests): RFC 8259 strict (no comments,
 * single quotes or unquoted names), at most {@value #MAX_DEPTH} levels deep, and no object may name
 * a field twice. Gson alone lets the last duplicate win, so {@code {"name":"a","name":"b"}} would
 * mean whatever the last reader in a chain of proxies and parsers decides.
 */
public final class StrictJsonReader extends JsonReader {
  /** Deeper documents are refused; nothing the contract accepts is deeper than 3. */
  public static final int MAX_DEPTH = 32;

  private final Deque<Set<String>> names = new ArrayDeque<>();

  /** A strict reader over {@code text}. */
  public StrictJsonReader(String text) {
    super(new StringReader(text));
    setStrictness(Strictness.STRICT);
    setNestingLimit(MAX_DEPTH);
  }

  @Override
  public void beginObject() throws IOException {
    super.beginObject();
    names.push(new HashSet<>());
  }

  @Override
  public void endObject() throws IOException {
    super.endObject();
    names.pop();
  }

  /**
   * The next field name.
   *
   * @throws DuplicateFieldException when the enclosing object already had a field of that name
   */
  @Override
  public String nextName() throws IOException {
    String name = super.nextName();
    if (!names.peek().add(name)) {
      String path = getPath().substring(1);
      throw new DuplicateFieldException(path.startsWith(".") ? path.substring(1) : path);
    }
    return name;
  }

  /**
   * Reads the next value as a tree (duplicates and depth checked as everywhere else).
   *
   * <p>Through {@link JsonParser#parseReader(JsonReader)}, not a {@code Gson} instance: building
   * one costs about 35 ms of a cold start, and the tree needs none of it. The reader stays strict
   * (the parser relaxes only readers left at the legacy default); the parser's wrapped exceptions
   * are unwrapped, so callers see the same IOExceptions as from the reader itself.
   */
  public JsonElement readTree() throws IOException {
    peek(); // an empty document fails here, as it would reading the value (the parser says null)
    try {
      return JsonParser.parseReader(this);
    } catch (JsonParseException e) {
      if (e.getCause() instanceof IOException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Refuses anything after the value just read, whitespace aside. */
  public void expectEnd() throws IOException {
    if (peek() != JsonToken.END_DOCUMENT) {
      throw new MalformedJsonException("unexpected data after the JSON value");
    }
  }

  /** An object named the same field twice. */
  public static final class DuplicateFieldException extends IOException {
    private final String field;

    DuplicateFieldException(String field) {
      super("field '" + brief(field) + "' appears twice");
      this.field = field;
    }

    /** The field's path, e.g. {@code name} or {@code continuation.part}. */
    public String field() {
      return field;
    }

    private static String brief(String s) {
      return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
  }
}
