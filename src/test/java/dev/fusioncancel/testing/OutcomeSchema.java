package dev.fusioncancel.testing;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Pub/Sub schema of the outcome topic ({@code schemas/outcome-event.proto}) as a protobuf
 * descriptor, and the check Pub/Sub applies to each JSON message published there: the proto3 JSON
 * mapping, unknown fields refused. Every event the integration tests collect goes through {@link
 * #validate}, so the schema and the code cannot drift apart.
 *
 * <p>The .proto is read by a small strict parser for the subset Pub/Sub schemas use (one top-level
 * message, nested messages, optional scalar, message and map fields): anything else in the file
 * fails here rather than being ignored, so no protoc binary is needed in the build.
 */
public final class OutcomeSchema {

  /** Where the schema lives, relative to the repository root (the build's working directory). */
  public static final Path FILE = Paths.get("schemas", "outcome-event.proto");

  private static final Map<String, FieldDescriptorProto.Type> SCALARS =
      Map.ofEntries(
          Map.entry("string", FieldDescriptorProto.Type.TYPE_STRING),
          Map.entry("bool", FieldDescriptorProto.Type.TYPE_BOOL),
          Map.entry("int32", FieldDescriptorProto.Type.TYPE_INT32),
          Map.entry("int64", FieldDescriptorProto.Type.TYPE_INT64),
          Map.entry("uint32", FieldDescriptorProto.Type.TYPE_UINT32),
          Map.entry("uint64", FieldDescriptorProto.Type.TYPE_UINT64),
          Map.entry("double", FieldDescriptorProto.Type.TYPE_DOUBLE),
          Map.entry("float", FieldDescriptorProto.Type.TYPE_FLOAT),
          Map.entry("bytes", FieldDescriptorProto.Type.TYPE_BYTES));

  private static final Pattern TOKEN =
      Pattern.compile("\"[^\"]*\"|[A-Za-z_][A-Za-z0-9_.]*|[0-9]+|[{}<>;=,]");

  private static volatile Descriptor cached;

  private OutcomeSchema() {}

  /** The schema's top-level message, parsed once from {@link #FILE}. */
  public static Descriptor descriptor() {
    Descriptor d = cached;
    if (d == null) {
      try {
        d = parse(Files.readString(FILE));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read " + FILE + " (run from the repository root)", e);
      }
      cached = d;
    }
    return d;
  }

  /** Throws AssertionError naming the event and the reason when Pub/Sub would refuse it. */
  public static void validate(String json) {
    try {
      DynamicMessage.Builder b = DynamicMessage.newBuilder(descriptor());
      JsonFormat.parser().merge(json, b);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new AssertionError(
          "event does not match "
              + FILE
              + " (update the schema, only adding fields): "
              + e.getMessage()
              + "\n  event: "
              + json,
          e);
    }
  }

  /** Parses the .proto text of a Pub/Sub schema into its one top-level message's descriptor. */
  static Descriptor parse(String text) {
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(text.replaceAll("//[^\n]*", ""));
    int at = 0;
    String stripped = text.replaceAll("//[^\n]*", "");
    while (m.find()) {
      String gap = stripped.substring(at, m.start());
      if (!gap.isBlank()) {
        throw new IllegalArgumentException("unexpected text in .proto: " + gap.strip());
      }
      tokens.add(m.group());
      at = m.end();
    }
    if (!stripped.substring(at).isBlank()) {
      throw new IllegalArgumentException("unexpected text in .proto: " + stripped.substring(at));
    }
    Parser p = new Parser(tokens);
    FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder().setName("schema.proto");
    p.expect("syntax");
    p.expect("=");
    String syntax = p.next();
    p.expect(";");
    if (!syntax.equals("\"proto2\"") && !syntax.equals("\"proto3\"")) {
      throw new IllegalArgumentException("unknown syntax " + syntax);
    }
    file.setSyntax(syntax.substring(1, syntax.length() - 1));
    if (p.peek("package")) {
      p.next();
      file.setPackage(p.next());
      p.expect(";");
    }
    p.expect("message");
    file.addMessageType(p.message(file.getSyntax().equals("proto3")));
    if (p.more()) {
      throw new IllegalArgumentException(
          "Pub/Sub schemas define exactly one top-level message; found more: " + p.next());
    }
    try {
      FileDescriptor fd = FileDescriptor.buildFrom(file.build(), new FileDescriptor[0]);
      return fd.getMessageTypes().get(0);
    } catch (DescriptorValidationException e) {
      throw new IllegalArgumentException("invalid schema: " + e.getMessage(), e);
    }
  }

  private static final class Parser {
    private final List<String> tokens;
    private int i;

    Parser(List<String> tokens) {
      this.tokens = tokens;
    }

    boolean more() {
      return i < tokens.size();
    }

    boolean peek(String t) {
      return more() && tokens.get(i).equals(t);
    }

    String next() {
      if (!more()) {
        throw new IllegalArgumentException("unexpected end of .proto");
      }
      return tokens.get(i++);
    }

    void expect(String t) {
      String got = next();
      if (!got.equals(t)) {
        throw new IllegalArgumentException("expected '" + t + "' in .proto, found '" + got + "'");
      }
    }

    int number() {
      String n = next();
      if (!n.matches("[0-9]+")) {
        throw new IllegalArgumentException("expected a field number, found " + n);
      }
      return Integer.parseInt(n);
    }

    /** Parses `Name { ... }` after the keyword message. */
    DescriptorProto message(boolean proto3) {
      DescriptorProto.Builder msg = DescriptorProto.newBuilder().setName(next());
      expect("{");
      while (!peek("}")) {
        String t = next();
        switch (t) {
          case "message" -> msg.addNestedType(message(proto3));
          case "map" -> mapField(msg);
          case "optional", "repeated" -> field(msg, t, next(), proto3);
          default -> {
            if (proto3 && (SCALARS.containsKey(t) || Character.isUpperCase(t.charAt(0)))) {
              field(msg, "", t, proto3);
            } else {
              throw new IllegalArgumentException("unsupported in this schema: '" + t + "'");
            }
          }
        }
      }
      expect("}");
      return msg.build();
    }

    void field(DescriptorProto.Builder msg, String label, String type, boolean proto3) {
      FieldDescriptorProto.Builder f = FieldDescriptorProto.newBuilder().setName(next());
      expect("=");
      f.setNumber(number());
      expect(";");
      f.setLabel(
          label.equals("repeated")
              ? FieldDescriptorProto.Label.LABEL_REPEATED
              : FieldDescriptorProto.Label.LABEL_OPTIONAL);
      if (proto3 && label.equals("optional")) {
        f.setProto3Optional(true);
        msg.addOneofDecl(
            com.google.protobuf.DescriptorProtos.OneofDescriptorProto.newBuilder()
                .setName("_" + f.getName()));
        f.setOneofIndex(msg.getOneofDeclCount() - 1);
      }
      typeOf(f, type);
      msg.addField(f);
    }

    void mapField(DescriptorProto.Builder msg) {
      expect("<");
      String key = next();
      expect(",");
      String value = next();
      expect(">");
      String name = next();
      expect("=");
      int number = number();
      expect(";");
      String entry =
          Character.toUpperCase(name.charAt(0))
              + Pattern.compile("_([a-z])")
                  .matcher(name.substring(1))
                  .replaceAll(r -> r.group(1).toUpperCase())
              + "Entry";
      FieldDescriptorProto.Builder k =
          FieldDescriptorProto.newBuilder()
              .setName("key")
              .setNumber(1)
              .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
      typeOf(k, key);
      FieldDescriptorProto.Builder v =
          FieldDescriptorProto.newBuilder()
              .setName("value")
              .setNumber(2)
              .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
      typeOf(v, value);
      msg.addNestedType(
          DescriptorProto.newBuilder()
              .setName(entry)
              .addField(k)
              .addField(v)
              .setOptions(MessageOptions.newBuilder().setMapEntry(true)));
      msg.addField(
          FieldDescriptorProto.newBuilder()
              .setName(name)
              .setNumber(number)
              .setLabel(FieldDescriptorProto.Label.LABEL_REPEATED)
              .setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
              .setTypeName(entry));
    }

    private static void typeOf(FieldDescriptorProto.Builder f, String type) {
      FieldDescriptorProto.Type scalar = SCALARS.get(type);
      if (scalar != null) {
        f.setType(scalar);
      } else if (type.matches("[A-Z][A-Za-z0-9_]*")) {
        f.setType(FieldDescriptorProto.Type.TYPE_MESSAGE).setTypeName(type);
      } else {
        throw new IllegalArgumentException("unsupported field type in this schema: " + type);
      }
    }
  }
}
