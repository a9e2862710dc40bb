package dev.fusioncancel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fusioncancel.client.ScriptedServer.Reply;
import dev.fusioncancel.client.ScriptedServer.Request;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.ProjectName;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.time.FakeTime;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code projects.locations.list} in the REST client: URL, strict parsing, retries. */
class HttpOperationsApiLocationsTest {
  private static final ProjectName PROJECT = new ProjectName("my-project");
  private static final String US = "projects/my-project/locations/us-central1";

  private ScriptedServer server;
  private final FakeTime time = new FakeTime();

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpOperationsApi client() {
    return new HttpOperationsApi(
        server.uri(), "v1", AccessTokens.none(), HttpOperationsApiTest.FAST, time, time, () -> 0.5);
  }

  @Test
  void listLocations_getsProjectLocationsWithPageSize_andReadsNamesAndToken() {
    server.then(
        Reply.json(
            200,
            "{\"locations\":[{\"name\":\""
                + US
                + "\",\"locationId\":\"us-central1\",\"labels\":{\"cloud.googleapis.com/region\":"
                + "\"us-central1\"},\"metadata\":{\"@type\":\"type.googleapis.com/x.Y\"},"
                + "\"displayName\":\"Iowa\"}],\"nextPageToken\":\"t1\"}"));

    LocationPage page = client().listLocations(PROJECT, 50, null);

    Request r = server.requests().get(0);
    assertEquals("GET", r.method());
    assertEquals("/v1/projects/my-project/locations", r.path());
    assertEquals("pageSize=50", r.rawQuery());
    assertEquals(0, r.body().length);
    assertEquals(List.of(LocationName.parse(US)), page.locations());
    assertEquals("t1", page.nextPageToken());
  }

  @Test
  void listLocations_withToken_percentEncodesIt_andNoPageSizeLeavesItToTheServer() {
    server.then(Reply.json(200, "{}"));

    LocationPage page = client().listLocations(PROJECT, 0, "a b/c+d=");

    assertEquals("pageToken=a%20b%2Fc%2Bd%3D", server.requests().get(0).rawQuery());
    assertEquals(List.of(), page.locations());
    assertNull(page.nextPageToken());
  }

  @Test
  void listLocations_nameWithTheProjectNumber_isTheRequestedProjectsLocation() {
    server.then(
        Reply.json(200, "{\"locations\":[{\"name\":\"projects/123456/locations/us-east1\"}]}"));

    LocationPage page = client().listLocations(PROJECT, 10, null);

    assertEquals(List.of(PROJECT.location("us-east1")), page.locations());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]",
        "not json",
        "{\"locations\":{}}",
        "{\"locations\":[1]}",
        "{\"locations\":[{}]}",
        "{\"locations\":[{\"name\":7}]}",
        "{\"locations\":[{\"name\":\"projects/my-project/locations/-\"}]}",
        "{\"locations\":[{\"name\":\"projects/my-project/locations/US\"}]}",
        "{\"locations\":[{\"name\":\"projects/my-project/locations/us/operations/x\"}]}",
        "{\"locations\":[{\"name\":\"projects/other-project/locations/us-east1\"}]}",
        "{\"locations\":[{\"name\":\"projects/my-project/locations/us-east1\","
            + "\"locationId\":\"us-west1\"}]}",
        "{\"locations\":[{\"name\":\"projects/my-project/locations/us-east1\","
            + "\"labels\":\"x\"}]}",
        "{\"locations\":[{\"name\":\"projects/my-project/locations/us-east1\","
            + "\"metadata\":[]}]}",
        "{\"nextPageToken\":5}",
      })
  void listLocations_bodyOfAnotherShape_isUnknown_neverAGuessedLocation(String body) {
    server.then(Reply.json(200, body));

    ApiException e =
        assertThrows(ApiException.class, () -> client().listLocations(PROJECT, 10, null));

    assertEquals(Code.UNKNOWN, e.code());
    assertEquals(1, server.requests().size(), "a malformed answer is not retried");
  }

  @Test
  void listLocations_unavailableThenOk_isRetriedLikeEveryCall() {
    server.then(Reply.error(503, "UNAVAILABLE"), Reply.json(200, "{}"));

    client().listLocations(PROJECT, 10, null);

    assertEquals(2, server.requests().size());
  }

  @Test
  void listLocations_permissionDenied_isFinalAtOnce() {
    server.then(Reply.error(403, "PERMISSION_DENIED"));

    ApiException e =
        assertThrows(ApiException.class, () -> client().listLocations(PROJECT, 10, null));

    assertEquals(Code.PERMISSION_DENIED, e.code());
    assertEquals(1, server.requests().size());
  }

  @Test
  void listLocations_onAClientWithoutIt_isUnimplemented() {
    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                new OperationsApi() {
                  @Override
                  public void cancel(dev.fusioncancel.name.OperationName name) {}

                  @Override
                  public Operation get(dev.fusioncancel.name.OperationName name) {
                    return null;
                  }

                  @Override
                  public OperationPage list(LocationName parent, int pageSize, String token) {
                    return null;
                  }
                }.listLocations(PROJECT, 10, null));
    assertEquals(Code.UNIMPLEMENTED, e.code());
  }
}
