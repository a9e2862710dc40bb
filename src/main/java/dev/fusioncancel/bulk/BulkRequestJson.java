package dev.fusioncancel.bulk;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.fusioncancel.json.StrictJsonReader;
import dev.fusioncancel.json.StrictUtf8;
import dev.fusioncancel.log.Abbreviation;
import dev.fusioncancel.name.InvalidNameException;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.ProjectName;
import dev.fusioncancel.time.Durations;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes the bulk request JSON. The reader ({@link StrictJsonReader}, shared with the
 * HTTP body) is strict and streaming: it accepts exactly the contract's fields with exactly their
 * JSON types, so it never builds a tree of untrusted depth (anything nested where a scalar is
 * expected is refused on sight) and a typo such as {@code olderthan} can never widen a selection.
 */
public final class BulkRequestJson {
  /**
   * The one limit on a bulk request (the Pub/Sub message data): 10 MiB, at least Pub/Sub's own 10
   * MB maximum, so every message Pub/Sub can deliver is read; anything bigger is refused before
   * parsing with an error summary naming {@link #LIMIT}.
   */
  public static final int MAX_BYTES = 10 * 1024 * 1024;

  /** {@link #MAX_BYTES} as the error messages and README state it. */
  public static final String LIMIT = MAX_BYTES + " bytes (" + (MAX_BYTES >> 20) + " MiB)";

  /** No array in a request may hold more entries than this. */
  public static final int MAX_ENTRIES = 10_000;

  private static final int MAX_STRING = 1024;

  private static final java.util.regex.Pattern RFC3339 =
      java.util.regex.Pattern.compile(
          "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})");

  private static final Instant FIRST_RFC3339 = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant LAST_RFC3339 = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private BulkRequestJson() {}

  /**
   * Parses UTF-8 JSON bytes into a request.
   *
   * @throws InvalidRequestException with a message fit to show the sender
   */
  public static BulkRequest parse(byte[] data) throws InvalidRequestException {
    if (data == null || data.length == 0) {
      throw new InvalidRequestException("the message is empty; expected a JSON bulk request");
    }
    if (data.length > MAX_BYTES) {
      throw new InvalidRequestException(
          "the message is " + data.length + " bytes, over the limit of " + LIMIT);
    }
    String text =
        StrictUtf8.decode(data)
            .orElseThrow(() -> new InvalidRequestException("the message is not valid UTF-8"));
    return parse(text);
  }

  /** Parses JSON text into a request. */
  public static BulkRequest parse(String text) throws InvalidRequestException {
    try (StrictJsonReader in = new StrictJsonReader(text)) {
      BulkRequest request = readRequest(in);
      if (in.peek() != JsonToken.END_DOCUMENT) {
        throw new InvalidRequestException("unexpected content after the request object");
      }
      return request;
    } catch (StrictJsonReader.DuplicateFieldException e) {
      throw new InvalidRequestException(e.getMessage());
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      throw new InvalidRequestException("the message is not valid JSON" + where(e.getMessage()));
    } catch (StackOverflowError e) {
      // Unreachable by construction (nothing is read recursively); kept as a last line of defence.
      throw new InvalidRequestException("the message is nested too deeply");
    }
  }

  private static BulkRequest readRequest(JsonReader in)
      throws IOException, InvalidRequestException {
    if (in.peek() != JsonToken.BEGIN_OBJECT) {
      throw new InvalidRequestException("the request must be a JSON object");
    }
    List<String> operations = List.of();
    List<LocationName> parents = List.of();
    List<ProjectName> allLocationsOf = List.of();
    Optional<Duration> olderThan = Optional.empty();
    List<String> verbs = List.of();
    List<String> targets = List.of();
    int limit = BulkRequest.DEFAULT_LIMIT;
    boolean dryRun = false;
    Duration wait = BulkRequest.DEFAULT_WAIT;
    Optional<BulkRequest.Continuation> continuation = Optional.empty();
    in.beginObject();
    while (in.hasNext()) {
      String field = in.nextName();
      switch (field) {
        case "operations" -> operations = dedupe(readStrings(in, field, false));
        case "parents" -> {
          List<String> raw = readStrings(in, field, true);
          parents = locationParents(raw);
          allLocationsOf = wildcardParents(raw);
        }
        case "olderThan" -> olderThan = Optional.of(duration(in, field));
        case "verbs" -> verbs = readStrings(in, field, true);
        case "targets" -> targets = readStrings(in, field, true);
        case "limit" -> limit = readLimit(in);
        case "dryRun" -> {
          expect(in, JsonToken.BOOLEAN, field, "true or false");
          dryRun = in.nextBoolean();
        }
        case "wait" -> wait = duration(in, field);
        case "continuation" -> continuation = Optional.of(readContinuation(in));
        default ->
            throw new InvalidRequestException(
                "unknown field '"
                    + brief(field)
                    + "'; accepted: operations, parents, olderThan, verbs, targets, limit,"
                    + " dryRun, wait");
      }
    }
    in.endObject();
    boolean checks = continuation.isPresent() && !continuation.get().check().isEmpty();
    if (operations.isEmpty() && parents.isEmpty() && allLocationsOf.isEmpty() && !checks) {
      throw new InvalidRequestException("operations and/or parents is required (and non-empty)");
    }
    return new BulkRequest(
        operations,
        parents,
        olderThan,
        verbs,
        targets,
        limit,
        dryRun,
        wait,
        continuation,
        allLocationsOf);
  }

  private static List<String> readStrings(JsonReader in, String field, boolean nonEmpty)
      throws IOException, InvalidRequestException {
    expect(in, JsonToken.BEGIN_ARRAY, field, "an array of strings");
    List<String> values = new ArrayList<>();
    in.beginArray();
    while (in.hasNext()) {
      if (values.size() >= MAX_ENTRIES) {
        throw new InvalidRequestException(
            "field '" + field + "' has more than " + MAX_ENTRIES + " entries");
      }
      expect(in, JsonToken.STRING, field, "an array of strings");
      String value = in.nextString();
      if (nonEmpty && value.isBlank()) {
        throw new InvalidRequestException("field '" + field + "' has an empty entry");
      }
      if (value.length() > MAX_STRING) {
        throw new InvalidRequestException(
            "field '" + field + "' has an entry longer than " + MAX_STRING + " characters");
      }
      values.add(value);
    }
    in.endArray();
    return values;
  }

  /** The {@code projects/P/locations/L} entries of {@code parents}, deduplicated. */
  private static List<LocationName> locationParents(List<String> raw)
      throws InvalidRequestException {
    Set<LocationName> parents = new LinkedHashSet<>();
    for (String p : raw) {
      try {
        if (ProjectName.ofWildcardParent(p).isEmpty()) {
          parents.add(LocationName.parse(p));
        }
      } catch (InvalidNameException e) {
        throw new InvalidRequestException(
            "invalid entry in parents: "
                + e.getMessage()
                + " (or projects/{project}/locations/- for every location)");
      }
    }
    return List.copyOf(parents);
  }

  /**
   * The projects of the {@code projects/P/locations/-} entries of {@code parents}, deduplicated.
   */
  private static List<ProjectName> wildcardParents(List<String> raw)
      throws InvalidRequestException {
    Set<ProjectName> projects = new LinkedHashSet<>();
    for (String p : raw) {
      try {
        ProjectName.ofWildcardParent(p).ifPresent(projects::add);
      } catch (InvalidNameException e) {
        throw new InvalidRequestException("invalid entry in parents: " + e.getMessage());
      }
    }
    return List.copyOf(projects);
  }

  private static Duration duration(JsonReader in, String field)
      throws IOException, InvalidRequestException {
    expect(in, JsonToken.STRING, field, "a duration string such as \"30s\" or \"6h\"");
    try {
      return Durations.parse(in.nextString());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("field '" + field + "': " + e.getMessage());
    }
  }

  private static int readLimit(JsonReader in) throws IOException, InvalidRequestException {
    expect(in, JsonToken.NUMBER, "limit", "a whole number");
    String raw = in.nextString();
    BigDecimal value;
    try {
      value = new BigDecimal(raw);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("field 'limit' must be a whole number");
    }
    if (value.signum() < 1
        || value.compareTo(BigDecimal.valueOf(BulkRequest.MAX_LIMIT)) > 0
        || value.stripTrailingZeros().scale() > 0) {
      throw new InvalidRequestException(
          "field 'limit' must be a whole number from 1 to "
              + BulkRequest.MAX_LIMIT
              + ", got "
              + brief(raw));
    }
    return value.intValueExact();
  }

  private static BulkRequest.Continuation readContinuation(JsonReader in)
      throws IOException, InvalidRequestException {
    expect(in, JsonToken.BEGIN_OBJECT, "continuation", "an object");
    String requestId = null;
    Integer part = null;
    Optional<Instant> since = Optional.empty();
    java.util.Map<String, dev.fusioncancel.rpc.Code> check = java.util.Map.of();
    in.beginObject();
    while (in.hasNext()) {
      String name = in.nextName();
      switch (name) {
        case "requestId" -> {
          expect(in, JsonToken.STRING, "continuation.requestId", "a string");
          requestId = in.nextString();
        }
        case "part" -> {
          expect(in, JsonToken.NUMBER, "continuation.part", "a whole number");
          try {
            part = in.nextInt();
          } catch (NumberFormatException e) {
            throw new InvalidRequestException("field 'continuation.part' must be a whole number");
          }
        }
        case "since" -> since = Optional.of(readSince(in));
        case "check" -> check = readCheck(in);
        default ->
            throw new InvalidRequestException(
                "unknown field 'continuation."
                    + brief(name)
                    + "'; accepted: requestId, part, since, check");
      }
    }
    in.endObject();
    if (requestId == null || part == null) {
      throw new InvalidRequestException("continuation needs requestId and part");
    }
    try {
      return new BulkRequest.Continuation(requestId, part, since, check);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage());
    }
  }

  /**
   * {@code continuation.check}: operations whose cancel an earlier part sent, to be checked (not
   * cancelled again), each with the google.rpc status name the cancel answered.
   */
  private static java.util.Map<String, dev.fusioncancel.rpc.Code> readCheck(JsonReader in)
      throws IOException, InvalidRequestException {
    expect(in, JsonToken.BEGIN_OBJECT, "continuation.check", "an object of name: status");
    java.util.Map<String, dev.fusioncancel.rpc.Code> check = new java.util.LinkedHashMap<>();
    in.beginObject();
    while (in.hasNext()) {
      if (check.size() >= MAX_ENTRIES) {
        throw new InvalidRequestException(
            "field 'continuation.check' has more than " + MAX_ENTRIES + " entries");
      }
      String name = in.nextName();
      if (name.length() > MAX_STRING) {
        throw new InvalidRequestException("field 'continuation.check' has a name too long");
      }
      expect(in, JsonToken.STRING, "continuation.check", "an object of name: status");
      String status = in.nextString();
      dev.fusioncancel.rpc.Code code =
          dev.fusioncancel.rpc.Code.ofName(status)
              .filter(c -> c.name().equals(status))
              .orElseThrow(
                  () ->
                      new InvalidRequestException(
                          "field 'continuation.check' has an unknown status '"
                              + brief(status)
                              + "'"));
      if (check.put(name, code) != null) {
        throw new InvalidRequestException(
            "field 'continuation.check' names '" + brief(name) + "' twice");
      }
    }
    in.endObject();
    return check;
  }

  /** An RFC 3339 timestamp with an explicit offset, e.g. {@code 2026-11-26T12:00:00.123Z}. */
  private static Instant readSince(JsonReader in) throws IOException, InvalidRequestException {
    expect(in, JsonToken.STRING, "continuation.since", "an RFC 3339 timestamp string");
    String raw = in.nextString();
    try {
      if (!RFC3339.matcher(raw).matches()) {
        throw new DateTimeParseException("not RFC 3339", raw, 0);
      }
      Instant since = OffsetDateTime.parse(raw, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      // An offset can move the instant out of RFC 3339's years; the follow-up written from it
      // would then be refused (a fuzzing finding: finding-since-before-year-0000).
      if (since.isBefore(FIRST_RFC3339) || since.isAfter(LAST_RFC3339)) {
        throw new DateTimeParseException("outside years 0000 to 9999 in UTC", raw, 0);
      }
      return since;
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(
          "field 'continuation.since' must be an RFC 3339 timestamp such as"
              + " \"2026-11-26T12:00:00Z\", got \""
              + brief(raw)
              + "\"");
    }
  }

  private static void expect(JsonReader in, JsonToken token, String field, String what)
      throws IOException, InvalidRequestException {
    JsonToken actual = in.peek();
    if (actual != token) {
      throw new InvalidRequestException(
          "field '" + field + "' must be " + what + ", got " + describe(actual));
    }
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case BEGIN_ARRAY -> "an array";
      case BEGIN_OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> token.name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** Gson's position, e.g. " at line 1 column 7", without its advice on leniency. */
  private static String where(String message) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("line [0-9]+ column [0-9]+")
            .matcher(message == null ? "" : message);
    return m.find() ? " (at " + m.group() + ")" : "";
  }

  private static List<String> dedupe(List<String> values) {
    return List.copyOf(new LinkedHashSet<>(values));
  }

  private static String brief(String s) {
    return Abbreviation.abbreviate(s, 60);
  }

  /** The request as JSON, as a follow-up message carries it (parse(toJson(r)) equals r). */
  public static JsonObject toJson(BulkRequest r) {
    JsonObject o = new JsonObject();
    if (!r.operations().isEmpty()) {
      o.add("operations", array(r.operations()));
    }
    if (!r.parents().isEmpty() || !r.allLocationsOf().isEmpty()) {
      List<String> parents = new ArrayList<>();
      r.parents().forEach(p -> parents.add(p.toString()));
      r.allLocationsOf().forEach(p -> parents.add(p.wildcardParent()));
      o.add("parents", array(parents));
    }
    r.olderThan().ifPresent(d -> o.addProperty("olderThan", d.toString()));
    if (!r.verbs().isEmpty()) {
      o.add("verbs", array(r.verbs()));
    }
    if (!r.targets().isEmpty()) {
      o.add("targets", array(r.targets()));
    }
    o.addProperty("limit", r.limit());
    o.addProperty("dryRun", r.dryRun());
    o.addProperty("wait", r.waitFor().toString());
    r.continuation()
        .ifPresent(
            c -> {
              JsonObject co = new JsonObject();
              co.addProperty("requestId", c.requestId());
              co.addProperty("part", c.part());
              c.since().ifPresent(t -> co.addProperty("since", t.toString()));
              if (!c.check().isEmpty()) {
                JsonObject check = new JsonObject();
                c.check().forEach((name, code) -> check.addProperty(name, code.name()));
                co.add("check", check);
              }
              o.add("continuation", co);
            });
    return o;
  }

  private static JsonArray array(List<String> values) {
    JsonArray a = new JsonArray();
    values.forEach(a::add);
    return a;
  }
}
