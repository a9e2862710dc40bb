package dev.fusioncancel.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.rpc.Code;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FusionEmulatorTest {
  private static final String PARENT = "projects/my-project/locations/us-central1";
  private static final String OP = PARENT + "/operations/op-1";
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private MutableClock clock;
  private FusionEmulator emu;

  @BeforeEach
  void start() {
    clock = MutableClock.at(T0);
    emu = FusionEmulator.builder().clock(clock).build();
  }

  @AfterEach
  void stop() {
    emu.close();
  }

  // ------------------------------------------------------------ behaviours

  @Test
  void get_onFinishesAfter_runsThenCompletesWithResponse() throws Exception {
    emu.seed(OP, Behaviour.finishesAfter(Duration.ofMinutes(5)));

    JsonObject running = json(get("/v1/" + OP));
    assertEquals(OP, running.get("name").getAsString());
    assertFalse(running.has("done"), "running operations omit done, as Google APIs do");
    JsonObject metadata = running.getAsJsonObject("metadata");
    assertEquals(
        "type.googleapis.com/google.cloud.datafusion.v1.OperationMetadata",
        metadata.get("@type").getAsString());
    assertEquals(T0.toString(), metadata.get("createTime").getAsString());
    assertEquals(PARENT + "/instances/inst-1", metadata.get("target").getAsString());
    assertEquals("update", metadata.get("verb").getAsString());
    assertEquals("v1", metadata.get("apiVersion").getAsString());
    assertFalse(metadata.has("endTime"));
    assertFalse(metadata.has("requestedCancellation"));

    clock.advance(Duration.ofMinutes(5));
    JsonObject done = json(get("/v1/" + OP));
    assertTrue(done.get("done").getAsBoolean());
    assertEquals(
        T0.plus(Duration.ofMinutes(5)).toString(),
        done.getAsJsonObject("metadata").get("endTime").getAsString());
    assertEquals(
        "type.googleapis.com/google.cloud.datafusion.v1.Instance",
        done.getAsJsonObject("response").get("@type").getAsString());
    assertFalse(done.has("error"));
  }

  @Test
  void cancel_onFinishesAfter_beforeFinish_marksDoneWithCancelled() throws Exception {
    emu.seed(OP, Behaviour.finishesAfter(Duration.ofMinutes(5)));
    clock.advance(Duration.ofMinutes(1));

    HttpResponse<String> cancel = post("/v1/" + OP + ":cancel", "{}");

    assertEquals(200, cancel.statusCode());
    assertEquals(new JsonObject(), json(cancel));
    JsonObject op = json(get("/v1/" + OP));
    assertTrue(op.get("done").getAsBoolean());
    assertEquals(1, op.getAsJsonObject("error").get("code").getAsInt());
    assertEquals(
        "Operation was cancelled.", op.getAsJsonObject("error").get("message").getAsString());
    assertTrue(op.getAsJsonObject("metadata").get("requestedCancellation").getAsBoolean());
  }

  @Test
  void cancel_onFinishesAfter_whenFinishComesBeforeCancelDelay_completesWithResponse()
      throws Exception {
    emu.seed(OP, Behaviour.finishesAfter(Duration.ofMinutes(2), Duration.ofMinutes(10)));
    post("/v1/" + OP + ":cancel", "");
    clock.advance(Duration.ofMinutes(2));

    JsonObject op = json(get("/v1/" + OP));
    assertTrue(op.get("done").getAsBoolean());
    assertTrue(op.has("response"));
    assertTrue(op.getAsJsonObject("metadata").get("requestedCancellation").getAsBoolean());
  }

  @Test
  void cancel_onCancellable_marksDoneWithCancelledAfterDelay() throws Exception {
    emu.seed(OP, Behaviour.cancellable(Duration.ofSeconds(30)));
    assertFalse(json(get("/v1/" + OP)).has("done"));

    assertEquals(200, post("/v1/" + OP + ":cancel", "{}").statusCode());
    JsonObject cancelling = json(get("/v1/" + OP));
    assertFalse(cancelling.has("done"));
    assertTrue(cancelling.getAsJsonObject("metadata").get("requestedCancellation").getAsBoolean());

    clock.advance(Duration.ofSeconds(30));
    JsonObject done = json(get("/v1/" + OP));
    assertTrue(done.get("done").getAsBoolean());
    assertEquals(1, done.getAsJsonObject("error").get("code").getAsInt());
    assertEquals(
        T0.plusSeconds(30).toString(),
        done.getAsJsonObject("metadata").get("endTime").getAsString());
    assertEquals(T0, emu.cancelRequestedAt(OP).orElseThrow());
  }

  @Test
  void cancel_onCancellable_neverFinishesWithoutCancel() throws Exception {
    emu.seed(OP, Behaviour.cancellable());
    clock.advance(Duration.ofDays(30));
    assertFalse(json(get("/v1/" + OP)).has("done"));
  }

  @Test
  void cancel_onCompletesDespiteCancel_acceptsThenCompletesWithResponse() throws Exception {
    emu.seed(OP, Behaviour.completesDespiteCancel(Duration.ofSeconds(10)));

    assertEquals(200, post("/v1/" + OP + ":cancel", "{}").statusCode());
    assertFalse(json(get("/v1/" + OP)).has("done"));
    clock.advance(Duration.ofSeconds(10));

    JsonObject op = json(get("/v1/" + OP));
    assertTrue(op.get("done").getAsBoolean());
    assertTrue(op.has("response"));
    assertFalse(op.has("error"));
    assertTrue(op.getAsJsonObject("metadata").get("requestedCancellation").getAsBoolean());
  }

  @Test
  void cancel_onCancelUnimplemented_answers501AndKeepsRunning() throws Exception {
    emu.seed(OP, Behaviour.cancelUnimplemented());

    HttpResponse<String> cancel = post("/v1/" + OP + ":cancel", "{}");

    assertEquals(501, cancel.statusCode());
    assertEquals("UNIMPLEMENTED", errorStatus(cancel));
    assertEquals(501, json(cancel).getAsJsonObject("error").get("code").getAsInt());
    JsonObject op = json(get("/v1/" + OP));
    assertFalse(op.has("done"));
    assertFalse(op.getAsJsonObject("metadata").has("requestedCancellation"));
  }

  @Test
  void cancel_onCancelFailedPrecondition_answers400AndKeepsRunning() throws Exception {
    emu.seed(OP, Behaviour.cancelFailedPrecondition());

    HttpResponse<String> cancel = post("/v1/" + OP + ":cancel", "{}");

    assertEquals(400, cancel.statusCode());
    assertEquals("FAILED_PRECONDITION", errorStatus(cancel));
    assertFalse(json(get("/v1/" + OP)).has("done"));
  }

  @Test
  void cancel_onAlreadyDone_answers200AndChangesNothing() throws Exception {
    emu.seed(OP, Behaviour.alreadyDone());
    JsonObject before = json(get("/v1/" + OP));

    assertEquals(200, post("/v1/" + OP + ":cancel", "{}").statusCode());

    JsonObject after = json(get("/v1/" + OP));
    assertEquals(before, after);
    assertTrue(after.get("done").getAsBoolean());
    assertTrue(after.has("response"));
    assertFalse(after.getAsJsonObject("metadata").has("requestedCancellation"));
  }

  @Test
  void cancel_onAlreadyFailed_answers200AndKeepsTheError() throws Exception {
    emu.seed(OP, Behaviour.alreadyFailed(Code.INTERNAL, "boom"));

    assertEquals(200, post("/v1/" + OP + ":cancel", "").statusCode());

    JsonObject op = json(get("/v1/" + OP));
    assertTrue(op.get("done").getAsBoolean());
    assertEquals(13, op.getAsJsonObject("error").get("code").getAsInt());
    assertEquals("boom", op.getAsJsonObject("error").get("message").getAsString());
  }

  @Test
  void cancel_onNeverFinishes_setsRequestedCancellationButNeverDone() throws Exception {
    emu.seed(OP, Behaviour.neverFinishes());

    assertEquals(200, post("/v1/" + OP + ":cancel", "{}").statusCode());
    clock.advance(Duration.ofDays(1));

    JsonObject op = json(get("/v1/" + OP));
    assertFalse(op.has("done"));
    assertTrue(op.getAsJsonObject("metadata").get("requestedCancellation").getAsBoolean());
  }

  @Test
  void permissionDenied_onGetCancelDelete_answers403AndListHidesIt() throws Exception {
    emu.seed(OP, Behaviour.permissionDenied());
    emu.seed(PARENT + "/operations/op-2", Behaviour.neverFinishes());

    assertEquals(403, get("/v1/" + OP).statusCode());
    assertEquals("PERMISSION_DENIED", errorStatus(get("/v1/" + OP)));
    HttpResponse<String> cancel = post("/v1/" + OP + ":cancel", "{}");
    assertEquals(403, cancel.statusCode());
    String cancelMessage = json(cancel).getAsJsonObject("error").get("message").getAsString();
    assertTrue(cancelMessage.contains("'datafusion.operations.cancel'"), cancelMessage);
    String getMessage =
        json(get("/v1/" + OP)).getAsJsonObject("error").get("message").getAsString();
    assertTrue(getMessage.contains("'datafusion.operations.get'"), getMessage);
    assertEquals(403, delete("/v1/" + OP).statusCode());
    JsonArray listed = json(get("/v1/" + PARENT + "/operations")).getAsJsonArray("operations");
    assertEquals(1, listed.size());
    assertEquals(PARENT + "/operations/op-2", name(listed, 0));
  }

  @Test
  void get_onUnseededName_answers404NotFound() throws Exception {
    HttpResponse<String> response = get("/v1/" + PARENT + "/operations/nope");
    assertEquals(404, response.statusCode());
    assertEquals("NOT_FOUND", errorStatus(response));
    assertEquals(404, post("/v1/" + PARENT + "/operations/nope:cancel", "{}").statusCode());
    assertEquals(404, delete("/v1/" + PARENT + "/operations/nope").statusCode());
  }

  @Test
  void get_withV1beta1Path_usesV1beta1TypeUrls() throws Exception {
    emu.seed(OP, Behaviour.alreadyDone());

    JsonObject op = json(get("/v1beta1/" + OP));

    assertEquals(
        "type.googleapis.com/google.cloud.datafusion.v1beta1.OperationMetadata",
        op.getAsJsonObject("metadata").get("@type").getAsString());
    assertEquals("v1beta1", op.getAsJsonObject("metadata").get("apiVersion").getAsString());
    assertEquals(
        "type.googleapis.com/google.cloud.datafusion.v1beta1.Instance",
        op.getAsJsonObject("response").get("@type").getAsString());
  }

  @Test
  void seed_withVerbTargetAndCreateTime_showsThemInMetadata() throws Exception {
    Instant created = T0.minus(Duration.ofHours(7));
    emu.seed(
        Seed.of(OP, Behaviour.neverFinishes())
            .verb("restart")
            .target(PARENT + "/instances/other")
            .createTime(created));

    JsonObject metadata = json(get("/v1/" + OP)).getAsJsonObject("metadata");

    assertEquals("restart", metadata.get("verb").getAsString());
    assertEquals(PARENT + "/instances/other", metadata.get("target").getAsString());
    assertEquals(created.toString(), metadata.get("createTime").getAsString());
  }

  @Test
  void seed_withMalformedNameOrNegativeDelay_isRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> emu.seed("operations/x", Behaviour.alreadyDone()));
    assertThrows(
        IllegalArgumentException.class,
        () -> emu.seed(PARENT + "/operations/a:b", Behaviour.alreadyDone()));
    assertThrows(
        IllegalArgumentException.class, () -> Behaviour.finishesAfter(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> Behaviour.alreadyFailed(0, "ok?"));
  }

  @Test
  void delete_removesTheOperation() throws Exception {
    emu.seed(OP, Behaviour.alreadyDone());

    HttpResponse<String> deleted = delete("/v1/" + OP);

    assertEquals(200, deleted.statusCode());
    assertEquals(new JsonObject(), json(deleted));
    assertEquals(404, get("/v1/" + OP).statusCode());
  }

  // ------------------------------------------------------------ list

  @Test
  void list_pagesThroughAllOperationsInNameOrderWithTokens() throws Exception {
    emu.seedMany(PARENT, 250, Behaviour.neverFinishes());
    emu.seed(
        "projects/my-project/locations/europe-west1/operations/op-eu", Behaviour.alreadyDone());

    List<String> names = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String query = "?pageSize=100" + (token == null ? "" : "&pageToken=" + token);
      JsonObject page = json(get("/v1/" + PARENT + "/operations" + query));
      JsonArray ops = page.getAsJsonArray("operations");
      for (int i = 0; i < ops.size(); i++) {
        names.add(name(ops, i));
      }
      token = page.has("nextPageToken") ? page.get("nextPageToken").getAsString() : null;
      pages++;
    } while (token != null);

    assertEquals(3, pages);
    assertEquals(250, names.size());
    assertEquals(PARENT + "/operations/op-00001", names.get(0));
    assertEquals(PARENT + "/operations/op-00250", names.get(249));
    assertEquals(names.stream().sorted().toList(), names);
  }

  @Test
  void list_defaultsTo100AndClampsTo1000() throws Exception {
    emu.seedMany(PARENT, 1200, Behaviour.neverFinishes());

    JsonObject byDefault = json(get("/v1/" + PARENT + "/operations?filter=done%3Dfalse"));
    JsonObject huge = json(get("/v1/" + PARENT + "/operations?pageSize=5000&prettyPrint=false"));

    assertEquals(FusionEmulator.DEFAULT_PAGE_SIZE, byDefault.getAsJsonArray("operations").size());
    assertEquals(FusionEmulator.MAX_PAGE_SIZE, huge.getAsJsonArray("operations").size());
    assertTrue(huge.has("nextPageToken"));
  }

  @Test
  void seedMany_spreadsCreateTimesIntoThePastOldestFirst() {
    List<SeededOperation> ops = emu.seedMany(PARENT, 3, Behaviour.neverFinishes());

    assertEquals(T0.minus(Duration.ofMinutes(3)), ops.get(0).createTime());
    assertEquals(T0.minus(Duration.ofMinutes(1)), ops.get(2).createTime());
    assertEquals("op-00003", ops.get(2).id());
  }

  @Test
  void list_withNoOperations_omitsOperationsAndToken() throws Exception {
    HttpResponse<String> response = get("/v1/" + PARENT + "/operations");

    assertEquals(200, response.statusCode());
    assertEquals(new JsonObject(), json(response));
  }

  @Test
  void list_withForeignOrGarbagePageToken_answers400() throws Exception {
    emu.seedMany(PARENT, 3, Behaviour.neverFinishes());
    String token =
        json(get("/v1/" + PARENT + "/operations?pageSize=1")).get("nextPageToken").getAsString();

    assertEquals(
        400,
        get("/v1/projects/my-project/locations/europe-west1/operations?pageToken=" + token)
            .statusCode());
    assertEquals(400, get("/v1/" + PARENT + "/operations?pageToken=%21%21").statusCode());
    assertEquals(400, get("/v1/" + PARENT + "/operations?pageSize=abc").statusCode());
  }

  // ------------------------------------------------------------ request rules

  @ParameterizedTest
  @ValueSource(strings = {"", "{}", " { } ", "\n"})
  void cancel_withEmptyOrEmptyObjectBody_isAccepted(String body) throws Exception {
    emu.seed(OP, Behaviour.cancellable());
    assertEquals(200, post("/v1/" + OP + ":cancel", body).statusCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "[]", "\"x\"", "42", "{\"name\":\"x\"}", "{\"force\":true}"})
  void cancel_withAnyOtherBody_answers400InvalidArgument(String body) throws Exception {
    emu.seed(OP, Behaviour.cancellable());

    HttpResponse<String> response = post("/v1/" + OP + ":cancel", body);

    assertEquals(400, response.statusCode());
    assertEquals("INVALID_ARGUMENT", errorStatus(response));
    assertTrue(emu.cancelRequestedAt(OP).isEmpty());
  }

  @Test
  void standardQueryParameters_areAcceptedOnEveryMethod() throws Exception {
    emu.seed(OP, Behaviour.cancellable());
    String std = "?alt=json&%24.xgafv=2&prettyPrint=false";

    assertEquals(200, get("/v1/" + OP + std).statusCode());
    assertEquals(200, get("/v1/" + PARENT + "/operations" + std).statusCode());
    HttpResponse<String> cancel = post("/v1/" + OP + ":cancel" + std, "{}");
    assertEquals(200, cancel.statusCode());
    assertEquals("{}", cancel.body());
    assertEquals(200, delete("/v1/" + OP + std).statusCode());
  }

  @ParameterizedTest
  @MethodSource("dev.fusioncancel.testing.SystemParameterCases#accepted")
  void systemParametersInEveryDocumentedForm_areAcceptedOnGetListAndCancel(String query)
      throws Exception {
    emu.seed(OP, Behaviour.cancellable());
    assertEquals(200, get("/v1/" + OP + "?" + query).statusCode(), query);
    assertEquals(200, get("/v1/" + PARENT + "/operations?" + query).statusCode(), query);
    HttpResponse<String> cancel = post("/v1/" + OP + ":cancel?" + query, "{}");
    assertEquals(200, cancel.statusCode(), query + ": " + cancel.body());
  }

  @ParameterizedTest
  @MethodSource("dev.fusioncancel.testing.SystemParameterCases#refused")
  void anyOtherQuery_answers400OnGetAndCancel(String query) throws Exception {
    emu.seed(OP, Behaviour.cancellable());
    HttpResponse<String> got = get("/v1/" + OP + "?" + query);
    assertEquals(400, got.statusCode(), query);
    assertEquals("INVALID_ARGUMENT", errorStatus(got));
    assertEquals(400, post("/v1/" + OP + ":cancel?" + query, "{}").statusCode(), query);
    assertEquals(0, emu.counters().cancelsAccepted(), "nothing was cancelled");
  }

  @Test
  void unknownQueryParameter_answers400() throws Exception {
    emu.seed(OP, Behaviour.cancellable());
    assertEquals(400, get("/v1/" + OP + "?pageSize=3").statusCode());
    assertEquals(400, get("/v1/" + OP + "?bogus=1").statusCode());
  }

  @Test
  void unknownPathsAndVersions_answer404AndWrongMethods405() throws Exception {
    emu.seed(OP, Behaviour.cancellable());

    assertEquals(404, get("/v2/" + OP).statusCode());
    assertEquals(404, get("/v1/" + PARENT + "/instances").statusCode());
    assertEquals(404, get("/v1/" + OP + "/extra").statusCode());
    assertEquals(404, post("/v1/" + OP + ":restart", "{}").statusCode());
    assertEquals(404, get("/").statusCode());
    assertEquals("NOT_FOUND", errorStatus(get("/v2/" + OP)));

    HttpResponse<String> put = send(request("/v1/" + OP).PUT(BodyPublishers.ofString("{}")));
    assertEquals(405, put.statusCode());
    assertNotNull(json(put).getAsJsonObject("error"));
    assertEquals(405, get("/v1/" + OP + ":cancel").statusCode());
    assertEquals(405, post("/v1/" + PARENT + "/operations", "{}").statusCode());
  }

  // ------------------------------------------------------------ faults

  @Test
  void faults_unavailableNext_failsThatManyThenRecovers() throws Exception {
    emu.seed(OP, Behaviour.cancellable());
    emu.faults().unavailableNext(2);

    HttpResponse<String> first = get("/v1/" + OP);
    assertEquals(503, first.statusCode());
    assertEquals("UNAVAILABLE", errorStatus(first));
    assertEquals(503, get("/v1/" + OP).statusCode());
    assertEquals(200, get("/v1/" + OP).statusCode());
    assertEquals(2, emu.counters().injectedFaults());
  }

  @Test
  void faults_forOperation_affectOnlyThatOperation() throws Exception {
    String other = PARENT + "/operations/op-2";
    emu.seed(OP, Behaviour.cancellable());
    emu.seed(other, Behaviour.cancellable());
    emu.faults().forOperation(OP).internalNext(1);

    assertEquals(200, get("/v1/" + other).statusCode());
    assertEquals(200, get("/v1/" + PARENT + "/operations").statusCode());
    HttpResponse<String> failed = post("/v1/" + OP + ":cancel", "{}");
    assertEquals(500, failed.statusCode());
    assertEquals("INTERNAL", errorStatus(failed));
    assertTrue(emu.cancelRequestedAt(OP).isEmpty(), "a failed request must not take effect");
    assertEquals(200, post("/v1/" + OP + ":cancel", "{}").statusCode());
  }

  @Test
  void faults_throttleNext_answers429WithRetryAfter() throws Exception {
    emu.seed(OP, Behaviour.cancellable());
    emu.faults().throttleNext(1, Duration.ofSeconds(7));

    HttpResponse<String> response = get("/v1/" + OP);

    assertEquals(429, response.statusCode());
    assertEquals("RESOURCE_EXHAUSTED", errorStatus(response));
    assertEquals("7", response.headers().firstValue("Retry-After").orElseThrow());
    assertEquals(200, get("/v1/" + OP).statusCode());
  }

  @Test
  void faults_resetNext_closesTheConnectionWithoutAnswer() throws Exception {
    emu.seed(OP, Behaviour.cancellable());
    emu.faults().resetNext(1);

    assertThrows(IOException.class, () -> post("/v1/" + OP + ":cancel", "{}"));

    assertEquals(200, post("/v1/" + OP + ":cancel", "{}").statusCode());
    assertEquals(1, emu.counters().connectionResets());
    assertEquals(0, emu.journal().entries().get(0).status());
  }

  @Test
  void faults_redirectNext_answers302WithLocation() throws Exception {
    emu.seed(OP, Behaviour.cancellable());
    emu.faults().redirectNext(1, "http://127.0.0.1:9/elsewhere");

    HttpResponse<String> response = get("/v1/" + OP);

    assertEquals(302, response.statusCode());
    assertEquals(
        "http://127.0.0.1:9/elsewhere", response.headers().firstValue("Location").orElseThrow());
  }

  @Test
  void faults_latency_delaysEveryRequestWithARealSleep() throws Exception {
    emu.seed(OP, Behaviour.cancellable());
    emu.faults().latency(Duration.ofMillis(150));

    long start = System.nanoTime();
    assertEquals(200, get("/v1/" + OP).statusCode());
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertTrue(millis >= 150, "took " + millis + " ms");
    assertEquals(T0, clock.instant(), "latency must not move the emulator clock");
  }

  @Test
  void faults_chaos_isDeterministicForASeed() throws Exception {
    emu.seed(OP, Behaviour.cancellable());
    List<Integer> first = chaosRun(42);
    List<Integer> second = chaosRun(42);

    assertEquals(first, second);
    assertTrue(first.contains(503));
    assertTrue(first.contains(0));
    assertTrue(first.contains(200));
  }

  private List<Integer> chaosRun(long seed) throws Exception {
    emu.faults().chaos(0.3, 0.2, seed);
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      try {
        statuses.add(post("/v1/" + OP + ":cancel", "{}").statusCode());
      } catch (IOException reset) {
        statuses.add(0);
      }
    }
    emu.faults().clear();
    return statuses;
  }

  @Test
  void auth_requireBearer_answers401WithoutAToken() throws Exception {
    emu.seed(OP, Behaviour.cancellable());
    emu.faults().authMode(Faults.AuthMode.REQUIRE_BEARER);

    HttpResponse<String> anonymous = get("/v1/" + OP);
    assertEquals(401, anonymous.statusCode());
    assertEquals("UNAUTHENTICATED", errorStatus(anonymous));
    assertEquals(
        200,
        send(request("/v1/" + OP).header("Authorization", "Bearer ya29.secret").GET())
            .statusCode());
  }

  @Test
  void auth_rejectAll_answers401EvenWithAToken() throws Exception {
    emu.seed(OP, Behaviour.cancellable());
    emu.faults().authMode(Faults.AuthMode.REJECT_ALL);

    HttpResponse<String> response =
        send(request("/v1/" + OP).header("Authorization", "Bearer ya29.secret").GET());

    assertEquals(401, response.statusCode());
    assertEquals(1, emu.counters().unauthenticated());
  }

  // ------------------------------------------------------------ quota

  @Test
  void quota_whenExceeded_answers429WithRetryAfterAndRecoversAfterAMinute() throws Exception {
    emu.quotaPerMinute(5);
    emu.seed(OP, Behaviour.cancellable());
    String otherLocation = "projects/my-project/locations/europe-west1/operations/op-eu";
    emu.seed(otherLocation, Behaviour.cancellable());

    for (int i = 0; i < 5; i++) {
      assertEquals(200, get("/v1/" + OP).statusCode());
      clock.advance(Duration.ofSeconds(1));
    }
    HttpResponse<String> refused = get("/v1/" + OP);
    assertEquals(429, refused.statusCode());
    assertEquals("RESOURCE_EXHAUSTED", errorStatus(refused));
    assertEquals("55", refused.headers().firstValue("Retry-After").orElseThrow());
    assertEquals(200, get("/v1/" + otherLocation).statusCode(), "quota is per location");
    assertEquals(429, get("/v1/" + PARENT + "/operations").statusCode());

    clock.advance(Duration.ofMinutes(1));
    assertEquals(200, get("/v1/" + OP).statusCode());
    assertEquals(2, emu.counters().quotaRejections());
    assertEquals(2, emu.journal().statusCount(429));
  }

  @Test
  void quota_refusedRequestsDoNotConsumeQuota() throws Exception {
    emu.quotaPerMinute(2);
    emu.seed(OP, Behaviour.cancellable());

    assertEquals(200, get("/v1/" + OP).statusCode());
    assertEquals(200, get("/v1/" + OP).statusCode());
    for (int i = 0; i < 5; i++) {
      assertEquals(429, get("/v1/" + OP).statusCode());
    }
    clock.advance(Duration.ofSeconds(60));
    assertEquals(200, get("/v1/" + OP).statusCode());
    assertEquals(200, get("/v1/" + OP).statusCode());
  }

  // ------------------------------------------------------------ journal

  @Test
  void journal_recordsEachRequestAndAuthorizationPresenceButNeverTheToken() throws Exception {
    emu.seed(OP, Behaviour.cancellable());
    get("/v1/" + OP + "?alt=json&access_token=ya29.query-secret");
    send(
        request("/v1/" + OP + ":cancel")
            .header("Authorization", "Bearer ya29.header-secret")
            .POST(BodyPublishers.ofString("{}")));
    clock.advance(Duration.ofSeconds(3));
    get("/v1/" + PARENT + "/operations/missing");

    List<Journal.Entry> entries = emu.journal().entries();

    assertEquals(3, entries.size());
    Journal.Entry first = entries.get(0);
    assertEquals("GET", first.method());
    assertEquals("/v1/" + OP, first.path());
    assertFalse(first.authorization());
    assertEquals(200, first.status());
    assertEquals(T0, first.time());
    assertFalse(first.query().contains("query-secret"), first.query());
    Journal.Entry cancel = entries.get(1);
    assertEquals("POST", cancel.method());
    assertTrue(cancel.authorization());
    assertNull(cancel.query());
    assertEquals(404, entries.get(2).status());
    assertEquals(T0.plusSeconds(3), entries.get(2).time());
    assertEquals(1, emu.journal().cancelCount(OP));
    assertEquals(1, emu.journal().getCount(OP));
    assertFalse(entries.toString().contains("secret"));

    emu.journal().clear();
    assertEquals(0, emu.journal().size());
  }

  // ------------------------------------------------------------ admin

  @Test
  void admin_seedThenJournalThenReset() throws Exception {
    HttpResponse<String> seeded =
        post(
            "/emulator/seed",
            "{\"name\":\""
                + OP
                + "\",\"behaviour\":\"cancellable\",\"delaySeconds\":5,\"verb\":\"restart\","
                + "\"createTime\":\"2026-11-26T09:00:00Z\"}");
    assertEquals(200, seeded.statusCode(), seeded.body());

    assertEquals(200, post("/v1/" + OP + ":cancel", "{}").statusCode());
    clock.advance(Duration.ofSeconds(5));
    JsonObject op = json(get("/v1/" + OP));
    assertEquals(1, op.getAsJsonObject("error").get("code").getAsInt());
    assertEquals("restart", op.getAsJsonObject("metadata").get("verb").getAsString());
    assertEquals(
        "2026-11-26T09:00:00Z", op.getAsJsonObject("metadata").get("createTime").getAsString());

    JsonArray journal = json(get("/emulator/journal")).getAsJsonArray("entries");
    assertEquals(2, journal.size(), "admin calls are not journaled");
    assertEquals("POST", journal.get(0).getAsJsonObject().get("method").getAsString());

    assertEquals(200, post("/emulator/reset", "").statusCode());
    assertEquals(404, get("/v1/" + OP).statusCode());
    assertEquals(400, post("/emulator/seed", "{\"name\":\"" + OP + "\"}").statusCode());
    assertEquals(
        400, post("/emulator/seed", "{\"name\":\"x\",\"behaviour\":\"alreadyDone\"}").statusCode());
    assertEquals(404, get("/emulator/nothing").statusCode());
    assertEquals(
        400,
        post(
                "/emulator/seed",
                "{\"name\":\"" + OP + "\",\"behaviour\":\"alreadyDone\",\"createTime\":\"soon\"}")
            .statusCode());
  }

  @Test
  void admin_faults_injectsAFaultFromJson() throws Exception {
    emu.seed(OP, Behaviour.cancellable());

    assertEquals(
        200,
        post(
                "/emulator/faults",
                "{\"kind\":\"unavailable\",\"count\":1,\"operation\":\"" + OP + "\"}")
            .statusCode());

    assertEquals(503, get("/v1/" + OP).statusCode());
    assertEquals(200, get("/v1/" + OP).statusCode());
    assertEquals(400, post("/emulator/faults", "{\"kind\":\"bogus\"}").statusCode());
  }

  // ------------------------------------------------------------ performance

  @Test
  void keepAlive_sequentialRequestsOnOneClient_averageWellUnder40ms() throws Exception {
    emu.seed(OP, Behaviour.cancellable());
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request = request("/v1/" + OP).GET().build();
    for (int i = 0; i < 5; i++) {
      client.send(request, BodyHandlers.ofString());
    }

    int n = 50;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      assertEquals(200, client.send(request, BodyHandlers.ofString()).statusCode());
    }
    double averageMs = (System.nanoTime() - start) / 1e6 / n;

    assertTrue(averageMs < 20, "average " + averageMs + " ms per request: is TCP_NODELAY on?");
  }

  @Test
  void tenThousandOperations_listAllPagesAndConcurrentCancels_areFastAndConsistent()
      throws Exception {
    emu.quotaPerMinute(0);
    emu.seedMany(PARENT, 10_000, Behaviour.cancellable());

    int listed = 0;
    String token = null;
    do {
      String query =
          "?pageSize=1000&prettyPrint=false" + (token == null ? "" : "&pageToken=" + token);
      JsonObject page = json(get("/v1/" + PARENT + "/operations" + query));
      listed += page.getAsJsonArray("operations").size();
      token = page.has("nextPageToken") ? page.get("nextPageToken").getAsString() : null;
    } while (token != null);
    assertEquals(10_000, listed);

    List<CompletableFuture<HttpResponse<String>>> cancels = new ArrayList<>();
    for (int i = 1; i <= 500; i++) {
      String name = String.format("%s/operations/op-%05d", PARENT, i);
      cancels.add(
          CLIENT.sendAsync(
              request("/v1/" + name + ":cancel").POST(BodyPublishers.ofString("{}")).build(),
              BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> cancel : cancels) {
      assertEquals(200, cancel.get(10, TimeUnit.SECONDS).statusCode());
    }
    assertEquals(500, emu.counters().cancelsAccepted());
    assertEquals(500, emu.journal().count("POST", p -> p.endsWith(":cancel")));
    assertTrue(json(get("/v1/" + PARENT + "/operations/op-00500")).get("done").getAsBoolean());
    assertFalse(json(get("/v1/" + PARENT + "/operations/op-00501")).has("done"));
  }

  // ------------------------------------------------------------ helpers

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(emu.endpoint() + pathAndQuery))
        .timeout(Duration.ofSeconds(5));
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return CLIENT.send(request.build(), BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return send(request(pathAndQuery).GET());
  }

  private HttpResponse<String> post(String pathAndQuery, String body) throws Exception {
    return send(
        request(pathAndQuery)
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(body)));
  }

  private HttpResponse<String> delete(String pathAndQuery) throws Exception {
    return send(request(pathAndQuery).DELETE());
  }

  private static JsonObject json(HttpResponse<String> response) {
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  private static String errorStatus(HttpResponse<String> response) {
    return json(response).getAsJsonObject("error").get("status").getAsString();
  }

  private static String name(JsonArray ops, int i) {
    return ops.get(i).getAsJsonObject().get("name").getAsString();
  }
}
