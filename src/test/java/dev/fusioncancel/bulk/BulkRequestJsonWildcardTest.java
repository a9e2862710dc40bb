package dev.fusioncancel.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.ProjectName;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code parents} with the AIP-159 wildcard {@code projects/P/locations/-}. */
class BulkRequestJsonWildcardTest {

  private static BulkRequest parse(List<String> parents) throws InvalidRequestException {
    return BulkRequestJson.parse("{\"parents\":[\"" + String.join("\",\"", parents) + "\"]}");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // parents in the request | wildcard projects | named locations
        "projects/proj-a/locations/- | proj-a | ''",
        "projects/proj-a/locations/-;projects/proj-a/locations/- | proj-a | ''",
        "projects/proj-a/locations/-;projects/proj-b/locations/- | proj-a;proj-b | ''",
        "projects/proj-a/locations/us-central1;projects/proj-a/locations/- | proj-a"
            + " | projects/proj-a/locations/us-central1",
        "projects/example.com:proj-a/locations/- | example.com:proj-a | ''",
        "projects/123456789/locations/- | 123456789 | ''",
      })
  void parents_wildcardsAndNamedLocations_areKeptApart(
      String parents, String wildcards, String named) throws Exception {
    BulkRequest r = parse(Arrays.asList(parents.split(";")));

    assertEquals(
        split(wildcards).stream().map(ProjectName::new).toList(), r.allLocationsOf(), "wildcards");
    assertEquals(split(named).stream().map(LocationName::parse).toList(), r.parents(), "named");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "projects/Bad_Project/locations/-",
        "projects/-/locations/-",
        "projects/proj-a/locations/*",
        "projects/proj-a/locations/--",
        "projects/proj-a/locations/-/",
        "projects/proj-a/locations/-/operations",
        "projects/proj-a/locations//-",
        "projects/proj-a/regions/-",
        "proj-a/locations/-",
        " projects/proj-a/locations/-",
      })
  void parents_malformedWildcard_isAnInvalidRequest(String parent) {
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> parse(List.of(parent)));
    assertTrue(e.getMessage().contains("parents"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"parents\":[\"projects/proj-a/locations/-\"]}",
        "{\"parents\":[\"projects/proj-a/locations/us-east1\",\"projects/proj-b/locations/-\"],"
            + "\"operations\":[\"projects/proj-a/locations/us-east1/operations/x\"],\"dryRun\":true}",
      })
  void toJson_writesWildcardsBack_soAFollowUpParsesToTheSameRequest(String json) throws Exception {
    BulkRequest r = BulkRequestJson.parse(json);
    assertEquals(r, BulkRequestJson.parse(BulkRequestJson.toJson(r).toString()));
  }

  @ParameterizedTest(name = "limit {0}, handled {1}, remaining {2} -> follow-up limit {3}")
  @CsvSource({"1000, 10, 5, 990", "20, 20, 0, 1", "20, 15, 5, 5", "1000, 0, 0, 1000"})
  void followUp_withAWildcardToList_keepsWhatIsLeftOfTheLimit(
      int limit, int handled, int remaining, int expected) throws Exception {
    BulkRequest r =
        BulkRequestJson.parse(
            "{\"parents\":[\"projects/proj-a/locations/-\"],\"limit\":" + limit + "}");
    List<String> names =
        java.util.stream.IntStream.range(0, remaining)
            .mapToObj(i -> "projects/proj-a/locations/l/operations/o" + i)
            .toList();
    BulkRequest next =
        r.followUp("req", names, r.allLocationsOf(), handled, java.time.Instant.EPOCH);

    assertEquals(expected, next.limit());
    assertEquals(List.of(new ProjectName("proj-a")), next.allLocationsOf());
    assertEquals(List.of(), next.parents(), "named parents were listed in full already");
  }

  private static List<String> split(String s) {
    return s.isEmpty() ? List.of() : Arrays.asList(s.split(";"));
  }
}
