package dev.fusioncancel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.fusioncancel.bulk.BulkSummary;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.outcome.OutcomeEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The outcome topic's schema takes today's events unchanged (the JSON the code writes, fields
 * omitted, the error object, the counts map) and refuses what Pub/Sub would refuse; the BigQuery
 * table has a column for every schema field.
 */
class OutcomeSchemaTest {

  private static final Instant T = Instant.parse("2026-11-26T10:05:00Z");

  @Test
  void validate_acceptsAFullOutcomeEventAsTheCodeWritesIt() {
    OutcomeEvent event =
        new OutcomeEvent(
            "e1",
            "r1",
            "projects/p/locations/l/operations/o",
            Outcome.CANCELLED,
            "operation cancelled",
            "OK",
            true,
            new Operation.OperationError(1, "Operation was cancelled."),
            true,
            "update",
            "projects/p/locations/l/instances/i",
            T.minusSeconds(300),
            T,
            false);
    OutcomeSchema.validate(event.toJson().toString());
  }

  @Test
  void validate_acceptsAnEventWithEveryOptionalFieldOmitted() {
    OutcomeEvent event =
        new OutcomeEvent(
            "e1",
            "r1",
            "n",
            Outcome.INVALID_NAME,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            true);
    OutcomeSchema.validate(event.toJson().toString());
  }

  @Test
  void validate_acceptsSummaries_includingTheInvalidRequestOne() {
    OutcomeSchema.validate(
        BulkSummary.invalid("m1", "unknown field olderthan", T, T).toJson().toString());
    OutcomeSchema.validate(
        "{\"eventId\":\"s\",\"requestId\":\"r\",\"total\":3,\"counts\":{\"CANCELLED\":2,\"ERROR\":1},"
            + "\"startedAt\":\"2026-11-26T10:00:00Z\",\"finishedAt\":\"2026-11-26T10:05:00Z\","
            + "\"dryRun\":false,\"part\":2,\"skippedByLimit\":4,"
            + "\"followUp\":{\"topic\":\"projects/p/topics/t\",\"messageId\":\"9\",\"part\":3,"
            + "\"remaining\":7,\"parents\":[\"projects/p/locations/-\"]},"
            + "\"parentErrors\":{\"projects/p/locations/l\":\"PERMISSION_DENIED\"},"
            + "\"locations\":{\"projects/p/locations/l\":{\"CANCELLED\":2,\"NOT_CANCELLABLE\":1},"
            + "\"projects/p/locations/m\":{}},"
            + "\"locationsNotAllowed\":[\"projects/p/locations/asia-east1\"]}");
  }

  @Test
  void locationCounts_haveAFieldForEveryOutcome() {
    Descriptor counts = OutcomeSchema.descriptor().findNestedTypeByName("OutcomeCounts");
    Set<String> fields = new TreeSet<>();
    counts.getFields().forEach(f -> fields.add(f.getName()));
    Set<String> outcomes = new TreeSet<>();
    for (Outcome o : Outcome.values()) {
      outcomes.add(o.name());
    }
    assertEquals(outcomes, fields);
  }

  @Test
  void validate_refusesUnknownFields_asPubSubDoes() {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () -> OutcomeSchema.validate("{\"eventId\":\"e\",\"newField\":1}"));
    assertTrue(e.getMessage().contains("newField"), e.getMessage());
  }

  @Test
  void validate_refusesAStringWhereTheSchemaHasAnObject() {
    // Why the invalid-request summary's error became an object: one schema must take both.
    assertThrows(AssertionError.class, () -> OutcomeSchema.validate("{\"error\":\"bad\"}"));
    assertThrows(AssertionError.class, () -> OutcomeSchema.validate("{\"total\":\"many\"}"));
  }

  @Test
  void parse_refusesWhatPubSubSchemasCannotHave() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            OutcomeSchema.parse(
                "syntax = \"proto2\"; import \"google/protobuf/struct.proto\"; message A {}"));
    assertThrows(
        IllegalArgumentException.class,
        () -> OutcomeSchema.parse("syntax = \"proto2\"; message A {} message B {}"));
    assertThrows(
        IllegalArgumentException.class,
        () -> OutcomeSchema.parse("syntax = \"proto2\"; message A { oneof x { string a = 1; } }"));
  }

  @Test
  void bigQueryTable_hasAColumnOfTheRightTypeForEverySchemaField() throws IOException {
    String table = Files.readString(Paths.get("schemas", "outcome-event.bigquery.json"));
    com.google.gson.JsonArray columns =
        com.google.gson.JsonParser.parseString(table).getAsJsonArray();
    assertColumns(OutcomeSchema.descriptor(), columns, "");
    Set<String> metadata = new TreeSet<>();
    for (var c : columns) {
      metadata.add(c.getAsJsonObject().get("name").getAsString());
    }
    // write_metadata = true adds these columns.
    assertTrue(
        metadata.containsAll(
            Set.of("subscription_name", "message_id", "publish_time", "attributes")),
        metadata.toString());
  }

  private static void assertColumns(Descriptor d, com.google.gson.JsonArray columns, String path) {
    Map<FieldDescriptor.JavaType, String> types =
        Map.of(
            FieldDescriptor.JavaType.STRING, "STRING",
            FieldDescriptor.JavaType.BOOLEAN, "BOOLEAN",
            FieldDescriptor.JavaType.LONG, "INTEGER",
            FieldDescriptor.JavaType.INT, "INTEGER",
            FieldDescriptor.JavaType.MESSAGE, "RECORD");
    for (FieldDescriptor f : d.getFields()) {
      com.google.gson.JsonObject column = null;
      for (var c : columns) {
        if (c.getAsJsonObject().get("name").getAsString().equals(f.getName())) {
          column = c.getAsJsonObject();
        }
      }
      String where = path + f.getName();
      assertTrue(column != null, "no BigQuery column for schema field " + where);
      assertEquals(types.get(f.getJavaType()), column.get("type").getAsString(), where);
      assertEquals(
          f.isRepeated() ? "REPEATED" : "NULLABLE", column.get("mode").getAsString(), where);
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        assertColumns(f.getMessageType(), column.getAsJsonArray("fields"), where + ".");
      }
    }
  }
}
