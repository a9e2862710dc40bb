package dev.fusioncancel.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.rpc.Code;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The emulator's {@code projects.locations} list and get, as Data Fusion serves them. */
class FusionEmulatorLocationsTest {
  private static final String US = "projects/my-project/locations/us-central1";
  private static final String EU = "projects/my-project/locations/europe-west1";
  private static final String OTHER = "projects/other-project/locations/asia-east1";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private FusionEmulator emu;

  @BeforeEach
  void start() {
    emu = FusionEmulator.builder().quotaPerMinute(0).build();
  }

  @AfterEach
  void stop() {
    emu.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v1beta1"})
  void list_answersTheLocationsOperationsWereSeededIn_inTheLocationsApiShape(String version)
      throws Exception {
    emu.seed(US + "/operations/a", Behaviour.cancellable());
    emu.seed(US + "/operations/b", Behaviour.cancellable());
    emu.seed(EU + "/operations/c", Behaviour.alreadyDone());
    emu.seed(OTHER + "/operations/d", Behaviour.cancellable());

    HttpResponse<String> r = get("/" + version + "/projects/my-project/locations");

    assertEquals(200, r.statusCode(), r.body());
    JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
    assertEquals(List.of("locations"), List.copyOf(body.keySet()), "one page: no token");
    JsonArray locations = body.getAsJsonArray("locations");
    assertEquals(2, locations.size(), "only this project's locations: " + locations);
    JsonObject first = locations.get(0).getAsJsonObject();
    assertEquals(EU, first.get("name").getAsString(), "sorted by name");
    assertEquals("europe-west1", first.get("locationId").getAsString());
    assertEquals(
        "europe-west1",
        first.getAsJsonObject("labels").get("cloud.googleapis.com/region").getAsString());
    assertFalse(first.has("metadata"), "no metadata unless one was given");
    assertEquals(US, locations.get(1).getAsJsonObject().get("name").getAsString());
  }

  @Test
  void list_withPageSize_pagesThroughEveryLocationOnce_andTheLastPageHasNoToken() throws Exception {
    for (String id : List.of("a-1", "b-1", "c-1", "d-1", "e-1")) {
      emu.locations().add("projects/my-project/locations/" + id);
    }
    List<String> seen = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String token = null;
    do {
      String query = "?pageSize=2" + (token == null ? "" : "&pageToken=" + token);
      JsonObject page = json(get("/v1/projects/my-project/locations" + query));
      JsonArray locations = page.getAsJsonArray("locations");
      sizes.add(locations.size());
      locations.forEach(l -> seen.add(l.getAsJsonObject().get("locationId").getAsString()));
      JsonElement next = page.get("nextPageToken");
      token = next == null ? null : next.getAsString();
    } while (token != null);

    assertEquals(List.of("a-1", "b-1", "c-1", "d-1", "e-1"), seen);
    assertEquals(List.of(2, 2, 1), sizes);
  }

  @Test
  void list_locationAddedWithMetadata_carriesItsLabelsAndMetadata() throws Exception {
    JsonObject metadata = new JsonObject();
    metadata.addProperty("@type", "type.googleapis.com/google.protobuf.Empty");
    emu.locations().add(US, Map.of("tier", "gold"), metadata);

    JsonObject location =
        json(get("/v1/projects/my-project/locations"))
            .getAsJsonArray("locations")
            .get(0)
            .getAsJsonObject();

    assertEquals(Map.of("tier", "gold").keySet(), location.getAsJsonObject("labels").keySet());
    assertEquals(metadata, location.getAsJsonObject("metadata"));
  }

  @Test
  void list_projectWithoutLocations_answersAnEmptyObject() throws Exception {
    HttpResponse<String> r = get("/v1/projects/empty-project/locations");
    assertEquals(200, r.statusCode());
    assertEquals(new JsonObject(), JsonParser.parseString(r.body()));
  }

  @Test
  void get_knownLocation_answersIt_unknownOne404() throws Exception {
    emu.seed(US + "/operations/a", Behaviour.cancellable());
    JsonObject location = json(get("/v1/" + US));
    assertEquals(US, location.get("name").getAsString());
    assertEquals("us-central1", location.get("locationId").getAsString());

    HttpResponse<String> missing = get("/v1/projects/my-project/locations/mars-north1");
    assertEquals(404, missing.statusCode());
    assertEquals("NOT_FOUND", status(missing));
  }

  @Test
  void removingAnOperation_keepsItsLocation_resetForgetsIt() throws Exception {
    emu.seed(US + "/operations/a", Behaviour.cancellable());
    emu.remove(US + "/operations/a");
    assertEquals(
        1, json(get("/v1/projects/my-project/locations")).getAsJsonArray("locations").size());

    emu.reset();
    assertEquals(new JsonObject(), json(get("/v1/projects/my-project/locations")));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "pageSize=abc, INVALID_ARGUMENT",
    "pageSize=-1, INVALID_ARGUMENT",
    "pageToken=bm9wZQ, INVALID_ARGUMENT",
    "filter=displayName%3Dtokyo, INVALID_ARGUMENT",
    "orderBy=name, INVALID_ARGUMENT",
    "extraLocationTypes=x&alt=json, OK",
    "includeUnrevealedLocations=true, OK",
    "pageSize=0, OK",
    "pageSize=5000, OK",
  })
  void list_queryParameters_areJudgedAsTheApiDoes(String query, String expected) throws Exception {
    emu.locations().add(US);
    HttpResponse<String> r = get("/v1/projects/my-project/locations?" + query);
    assertEquals(expected, r.statusCode() == 200 ? "OK" : status(r), r.body());
  }

  @Test
  void list_pageTokenOfAnotherProject_isRefused() throws Exception {
    emu.locations().add(OTHER).add("projects/other-project/locations/asia-east2");
    String token =
        json(get("/v1/projects/other-project/locations?pageSize=1"))
            .get("nextPageToken")
            .getAsString();

    HttpResponse<String> r = get("/v1/projects/my-project/locations?pageToken=" + token);

    assertEquals(400, r.statusCode());
  }

  @Test
  void list_deniedProject_answers403NamingThePermission() throws Exception {
    emu.locations().add(US).denyList("my-project");
    HttpResponse<String> r = get("/v1/projects/my-project/locations");
    assertEquals(403, r.statusCode());
    assertEquals("PERMISSION_DENIED", status(r));
    assertTrue(r.body().contains("datafusion.locations.list"), r.body());
  }

  @Test
  void list_faultsForOneProjectsList_hitOnlyThatList_thenItAnswers() throws Exception {
    emu.locations().add(US).add(OTHER);
    emu.faults().forLocationsList("my-project").failNext(1, Code.UNAVAILABLE);

    assertEquals(200, get("/v1/projects/other-project/locations").statusCode());
    assertEquals(503, get("/v1/projects/my-project/locations").statusCode());
    assertEquals(200, get("/v1/projects/my-project/locations").statusCode());
  }

  @Test
  void list_globalFaults_applyToLocationsToo() throws Exception {
    emu.faults().throttleNext(1, Duration.ofSeconds(3));
    HttpResponse<String> r = get("/v1/projects/my-project/locations");
    assertEquals(429, r.statusCode());
    assertEquals("3", r.headers().firstValue("Retry-After").orElseThrow());
  }

  @Test
  void quota_locationsListIsCountedPerProject_apartFromEveryRegion() throws Exception {
    emu.quotaPerMinute(1);
    emu.seed(US + "/operations/a", Behaviour.cancellable());

    assertEquals(200, get("/v1/projects/my-project/locations").statusCode());
    assertEquals(429, get("/v1/projects/my-project/locations").statusCode(), "project budget");
    assertEquals(200, get("/v1/" + US + "/operations/a").statusCode(), "the region's is untouched");
  }

  @Test
  void journal_recordsLocationsCalls() throws Exception {
    get("/v1/projects/my-project/locations?pageSize=3");
    get("/v1beta1/projects/my-project/locations");
    get("/v1/projects/other-project/locations");

    assertEquals(2, emu.journal().locationsListCount("my-project"));
    assertEquals("pageSize=3", emu.journal().entries().get(0).query());
  }

  @Test
  void operationsList_onTheWildcardLocation_isUnimplemented() throws Exception {
    emu.seed(US + "/operations/a", Behaviour.cancellable());
    HttpResponse<String> r = get("/v1/projects/my-project/locations/-/operations");
    assertEquals(501, r.statusCode());
    assertEquals("UNIMPLEMENTED", status(r));
  }

  @Test
  void locations_otherMethods_answer405() throws Exception {
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(emu.endpoint() + "/v1/projects/my-project/locations"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            BodyHandlers.ofString());
    assertEquals(405, r.statusCode());
    assertEquals("GET", r.headers().firstValue("Allow").orElseThrow());
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(emu.endpoint() + pathAndQuery)).GET().build(),
        BodyHandlers.ofString());
  }

  private static JsonObject json(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r.body());
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  private static String status(HttpResponse<String> r) {
    JsonObject error = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("error");
    assertNotNull(error, r.body());
    return error.get("status").getAsString();
  }
}
