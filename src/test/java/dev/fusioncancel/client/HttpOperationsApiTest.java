package dev.fusioncancel.client;

import static dev.fusioncancel.client.TestClients.NO_DEADLINE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.client.ScriptedServer.Reply;
import dev.fusioncancel.client.ScriptedServer.Request;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.time.FakeTime;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpOperationsApiTest {
  /** The production retry and budget layer (no budget limit) over one transport. */
  OperationsApi wrap(HttpOperationsApi transport, RetrySettings settings) {
    return TestClients.retrying(
        transport, settings, dev.fusioncancel.budget.Budgets.unlimited(), time);
  }

  static final OperationName OP =
      OperationName.parse("projects/my-project/locations/us-central1/operations/op-1");
  static final LocationName PARENT = OP.parent();
  static final String OP_PATH = "/v1/projects/my-project/locations/us-central1/operations/op-1";
  static final String RUNNING =
      "{\"name\":\"projects/my-project/locations/us-central1/operations/op-1\",\"done\":false,"
          + "\"metadata\":{\"verb\":\"update\",\"target\":\"projects/my-project/locations/"
          + "us-central1/instances/i1\",\"createTime\":\"2026-11-26T10:00:00Z\"}}";

  /** Backoff ceilings 100 ms, 200 ms, 400 ms...; jitter 0.5 halves them: 50, 100, 200 ms... */
  static final RetrySettings FAST =
      RetrySettings.newBuilder()
          .setInitialRetryDelay(Duration.ofMillis(100))
          .setMaxRetryDelay(Duration.ofSeconds(5))
          .setTotalTimeout(Duration.ofSeconds(120))
          .setMaxAttempts(6)
          .setPerCallTimeout(Duration.ofSeconds(5))
          .setConnectTimeout(Duration.ofSeconds(2))
          .build();

  ScriptedServer server;
  FakeTime time;

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedServer();
    time = new FakeTime();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  OperationsApi client(RetrySettings settings, AccessTokens tokens) {
    return wrap(new HttpOperationsApi(server.uri(), "v1", tokens, settings, time), settings);
  }

  OperationsApi client(RetrySettings settings) {
    return client(settings, AccessTokens.none());
  }

  OperationsApi client() {
    return client(FAST);
  }

  // ---- URLs, methods, bodies

  @Test
  void cancel_postsToNameColonCancel_withEmptyBodyAndNoQuery() {
    server.then(Reply.json(200, "{}"));

    client().cancel(OP, NO_DEADLINE);

    List<Request> requests = server.requests();
    assertEquals(1, requests.size());
    Request r = requests.get(0);
    assertEquals("POST", r.method());
    assertEquals(OP_PATH + ":cancel", r.path());
    assertNull(r.rawQuery());
    assertEquals(0, r.body().length);
    assertEquals("0", r.header("Content-Length"));
    assertNull(r.header("Authorization"));
  }

  @Test
  void cancel_withEmptySuccessBody_succeeds() {
    server.then(Reply.status(200));

    client().cancel(OP, NO_DEADLINE);

    assertEquals(1, server.requests().size());
  }

  @Test
  void get_sendsGetToNameWithNoQuery_andParsesTheOperation() {
    server.then(Reply.json(200, RUNNING));

    Operation op = client().get(OP, NO_DEADLINE);

    Request r = server.requests().get(0);
    assertEquals("GET", r.method());
    assertEquals(OP_PATH, r.path());
    assertNull(r.rawQuery());
    assertEquals(0, r.body().length);
    assertEquals(OP.toString(), op.name());
    assertFalse(op.done());
    assertEquals("update", op.verb());
  }

  @Test
  void get_withV1beta1_putsThatVersionInThePath() {
    server.then(Reply.json(200, RUNNING));
    OperationsApi api =
        wrap(new HttpOperationsApi(server.uri(), "v1beta1", AccessTokens.none(), FAST, time), FAST);

    api.get(OP, NO_DEADLINE);

    assertEquals(
        "/v1beta1/projects/my-project/locations/us-central1/operations/op-1",
        server.requests().get(0).path());
  }

  @Test
  void list_firstPage_sendsPageSizeOnly_andReadsOperationsAndToken() {
    server.then(Reply.json(200, "{\"operations\":[" + RUNNING + "],\"nextPageToken\":\"t1\"}"));

    OperationPage page = client().list(PARENT, 50, null, NO_DEADLINE);

    Request r = server.requests().get(0);
    assertEquals("GET", r.method());
    assertEquals("/v1/projects/my-project/locations/us-central1/operations", r.path());
    assertEquals("pageSize=50", r.rawQuery());
    assertEquals(1, page.operations().size());
    assertEquals("t1", page.nextPageToken());
  }

  @Test
  void list_withPageToken_percentEncodesIt() {
    server.then(Reply.json(200, "{}"));

    OperationPage page = client().list(PARENT, 10, "a b/c+d=&?#é~", NO_DEADLINE);

    assertEquals(
        "pageSize=10&pageToken=a%20b%2Fc%2Bd%3D%26%3F%23%C3%A9~",
        server.requests().get(0).rawQuery());
    assertTrue(page.operations().isEmpty());
    assertNull(page.nextPageToken());
  }

  @Test
  void listAll_followsPageTokensToTheEnd() {
    server.then(
        Reply.json(200, "{\"operations\":[" + RUNNING + "],\"nextPageToken\":\"p2\"}"),
        Reply.json(200, "{\"operations\":[" + RUNNING + "," + RUNNING + "]}"));

    List<Operation> all = OperationListing.readAll(client(), PARENT, 100, NO_DEADLINE).operations();

    assertEquals(3, all.size());
    assertEquals(
        List.of("pageSize=100", "pageSize=100&pageToken=p2"),
        server.requests().stream().map(Request::rawQuery).toList());
  }

  // ---- Classification: one attempt, so each answer is seen as is

  @ParameterizedTest(name = "HTTP {0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          400 | {"error":{"code":400,"status":"FAILED_PRECONDITION","message":"m"}} | FAILED_PRECONDITION
          400 | {"error":{"code":400,"status":"INVALID_ARGUMENT","message":"m"}}    | INVALID_ARGUMENT
          400 | ''                                                                 | INVALID_ARGUMENT
          403 | {"error":{"code":403,"status":"PERMISSION_DENIED","message":"m"}}  | PERMISSION_DENIED
          404 | {"error":{"code":404,"status":"NOT_FOUND","message":"m"}}          | NOT_FOUND
          404 | <html>Not Found</html>                                             | NOT_FOUND
          409 | ''                                                                 | ABORTED
          409 | {"error":{"code":409,"status":"ALREADY_EXISTS","message":"m"}}     | ALREADY_EXISTS
          429 | {"error":{"code":429,"status":"RESOURCE_EXHAUSTED","message":"m"}} | RESOURCE_EXHAUSTED
          500 | {"error":{"code":500,"status":"INTERNAL","message":"m"}}           | INTERNAL
          500 | {"error":{"code":500,"status":"UNKNOWN","message":"m"}}            | UNKNOWN
          501 | {"error":{"code":501,"status":"UNIMPLEMENTED","message":"m"}}      | UNIMPLEMENTED
          502 | <html><body>502 Bad Gateway</body></html>                          | UNAVAILABLE
          503 | {"error":{"code":503,"status":"UNAVAILABLE","message":"m"}}        | UNAVAILABLE
          503 | {"error":{"code":503,"status":"NOT_A_CODE","message":"m"}}         | UNAVAILABLE
          504 | ''                                                                 | DEADLINE_EXCEEDED
          302 | ''                                                                 | UNKNOWN
          418 | ''                                                                 | UNKNOWN
          """)
  void cancel_errorAnswer_isClassifiedByStatusStringThenHttpCode(
      int http, String body, Code expected) {
    server.then(new Reply(http, body, Map.of(), false, null));

    ApiException e =
        assertThrows(
            ApiException.class,
            () -> client(FAST.toBuilder().setMaxAttempts(1).build()).cancel(OP, NO_DEADLINE));

    assertEquals(expected, e.code());
    assertEquals(http, e.httpStatus());
    assertEquals(1, e.attempts());
  }

  @ParameterizedTest(name = "2xx body {0}")
  @ValueSource(strings = {"not json", "[1,2]", "\"text\"", "{\"name\":"})
  void get_2xxWithUnreadableBody_isUnknownAndNotRetried(String body) {
    server.otherwise(Reply.json(200, body));

    ApiException e = assertThrows(ApiException.class, () -> client().get(OP, NO_DEADLINE));

    assertEquals(Code.UNKNOWN, e.code());
    assertEquals(1, server.requests().size());
  }

  @Test
  void list_2xxWithOperationsNotAnArray_isUnknown() {
    server.otherwise(Reply.json(200, "{\"operations\":{\"a\":1}}"));

    ApiException e =
        assertThrows(ApiException.class, () -> client().list(PARENT, 5, null, NO_DEADLINE));

    assertEquals(Code.UNKNOWN, e.code());
    assertEquals(1, server.requests().size());
  }

  // ---- What is never retried

  @ParameterizedTest(name = "HTTP {0} {1}")
  @CsvSource({
    "400, INVALID_ARGUMENT",
    "400, FAILED_PRECONDITION",
    "403, PERMISSION_DENIED",
    "404, NOT_FOUND",
    "409, ABORTED",
    "409, ALREADY_EXISTS",
    "501, UNIMPLEMENTED"
  })
  void cancel_onFinalError_sendsExactlyOneRequest(int http, String status) {
    server.otherwise(Reply.error(http, status));

    ApiException e = assertThrows(ApiException.class, () -> client().cancel(OP, NO_DEADLINE));

    assertEquals(Code.valueOf(status), e.code());
    assertEquals(1, server.requests().size());
    assertEquals(1, e.attempts());
    assertTrue(time.sleeps().isEmpty());
  }

  @Test
  void cancel_on302_doesNotFollowTheRedirect() {
    server.then(
        Reply.status(302).withHeader("Location", server.uri() + "/elsewhere/v1/" + OP + ":cancel"));
    server.otherwise(Reply.json(200, "{}"));

    ApiException e = assertThrows(ApiException.class, () -> client().cancel(OP, NO_DEADLINE));

    assertEquals(Code.UNKNOWN, e.code());
    assertEquals(302, e.httpStatus());
    assertEquals(1, server.requests().size());
    assertTrue(server.requests().stream().noneMatch(r -> r.path().startsWith("/elsewhere")));
  }

  // ---- Retries

  @Test
  void cancel_on503ThenOk_retriesOnceAndSucceeds() {
    server.then(Reply.error(503, "UNAVAILABLE"), Reply.json(200, "{}"));

    client().cancel(OP, NO_DEADLINE);

    assertEquals(2, server.requests().size());
    assertEquals(List.of(Duration.ofMillis(50)), time.sleeps());
  }

  @Test
  void cancel_onPersistent503_stopsAtMaxAttemptsWithGrowingSleeps() {
    server.otherwise(Reply.error(503, "UNAVAILABLE"));

    ApiException e = assertThrows(ApiException.class, () -> client().cancel(OP, NO_DEADLINE));

    assertEquals(Code.UNAVAILABLE, e.code());
    assertEquals(6, e.attempts());
    assertEquals(6, server.requests().size());
    assertEquals(
        List.of(50L, 100L, 200L, 400L, 800L),
        time.sleeps().stream().map(Duration::toMillis).toList());
  }

  @Test
  void get_on502HtmlThenOk_retriesAndSucceeds() {
    server.then(
        new Reply(502, "<html>Bad Gateway</html>", Map.of(), false, null),
        Reply.json(200, RUNNING));

    assertEquals(OP.toString(), client().get(OP, NO_DEADLINE).name());
    assertEquals(2, server.requests().size());
  }

  @Test
  void cancel_on429WithRetryAfterSeconds_sleepsThatLong() {
    server.then(
        Reply.error(429, "RESOURCE_EXHAUSTED").withHeader("Retry-After", "7"),
        Reply.json(200, "{}"));

    client().cancel(OP, NO_DEADLINE);

    assertEquals(2, server.requests().size());
    assertEquals(List.of(Duration.ofSeconds(7)), time.sleeps());
  }

  @Test
  void cancel_on429WithRetryAfterHttpDate_sleepsUntilThatTime() {
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            time.instant().plusSeconds(12).atOffset(ZoneOffset.UTC));
    server.then(
        Reply.error(429, "RESOURCE_EXHAUSTED").withHeader("Retry-After", date),
        Reply.json(200, "{}"));

    client().cancel(OP, NO_DEADLINE);

    assertEquals(List.of(Duration.ofSeconds(12)), time.sleeps());
  }

  @Test
  void cancel_on429WithLongRetryAfter_sleepsOnlyMaxRetryAfter() {
    server.then(
        Reply.error(429, "RESOURCE_EXHAUSTED").withHeader("Retry-After", "3600"),
        Reply.json(200, "{}"));
    RetrySettings settings =
        FAST.toBuilder()
            .setMaxRetryAfter(Duration.ofSeconds(60))
            .setTotalTimeout(Duration.ofSeconds(300))
            .build();

    client(settings).cancel(OP, NO_DEADLINE);

    assertEquals(List.of(Duration.ofSeconds(60)), time.sleeps());
  }

  @Test
  void cancel_on429WithRetryAfterBeyondTheDeadline_givesUpWithoutSleeping() {
    server.otherwise(Reply.error(429, "RESOURCE_EXHAUSTED").withHeader("Retry-After", "30"));
    RetrySettings settings = FAST.toBuilder().setTotalTimeout(Duration.ofSeconds(20)).build();

    ApiException e =
        assertThrows(ApiException.class, () -> client(settings).cancel(OP, NO_DEADLINE));

    assertEquals(Code.RESOURCE_EXHAUSTED, e.code());
    assertEquals(Optional.of(Duration.ofSeconds(30)), e.retryAfter());
    assertEquals(1, e.attempts());
    assertEquals(1, server.requests().size());
    assertTrue(time.sleeps().isEmpty());
  }

  @Test
  void cancel_onPersistent503_neverSleepsPastTheTotalTimeout() {
    server.otherwise(Reply.error(503, "UNAVAILABLE"));
    RetrySettings settings =
        FAST.toBuilder()
            .setInitialRetryDelay(Duration.ofMillis(800))
            .setMaxAttempts(100)
            .setTotalTimeout(Duration.ofSeconds(3))
            .build();

    ApiException e =
        assertThrows(ApiException.class, () -> client(settings).cancel(OP, NO_DEADLINE));

    // Sleeps 400, 800, 1600 ms would end at 2.8 s; the next, 1.6 s more (capped ceiling 3.2 s
    // halved), would cross 3 s.
    assertEquals(
        List.of(400L, 800L, 1600L), time.sleeps().stream().map(Duration::toMillis).toList());
    assertEquals(4, e.attempts());
    assertEquals(4, server.requests().size());
  }

  @Test
  void cancel_on500Twice_retriesInternalOnlyOnce() {
    server.otherwise(Reply.error(500, "INTERNAL"));

    ApiException e = assertThrows(ApiException.class, () -> client().cancel(OP, NO_DEADLINE));

    assertEquals(Code.INTERNAL, e.code());
    assertEquals(2, e.attempts());
    assertEquals(2, server.requests().size());
  }

  @Test
  void cancel_on500ThenOk_succeeds() {
    server.then(Reply.status(500), Reply.json(200, "{}"));

    client().cancel(OP, NO_DEADLINE);

    assertEquals(2, server.requests().size());
  }

  @Test
  void cancel_onConnectionClosedUnanswered_retriesAsUnavailable() {
    server.then(Reply.hangUp(), Reply.hangUp(), Reply.json(200, "{}"));

    client().cancel(OP, NO_DEADLINE);

    assertEquals(3, server.requests().size());
    assertEquals(2, time.sleeps().size());
  }

  @Test
  void cancel_onPersistentlyClosedConnection_endsUnavailableAfterMaxAttempts() {
    server.otherwise(Reply.hangUp());

    ApiException e =
        assertThrows(
            ApiException.class,
            () -> client(FAST.toBuilder().setMaxAttempts(3).build()).cancel(OP, NO_DEADLINE));

    assertEquals(Code.UNAVAILABLE, e.code());
    assertEquals(0, e.httpStatus());
    assertEquals(3, e.attempts());
    assertEquals(3, server.requests().size());
  }

  @Test
  void get_onTimeoutThenOk_retriesAsDeadlineExceeded() {
    server.then(Reply.json(200, RUNNING).after(Duration.ofSeconds(5)), Reply.json(200, RUNNING));
    RetrySettings settings = FAST.toBuilder().setPerCallTimeout(Duration.ofMillis(300)).build();

    assertEquals(OP.toString(), client(settings).get(OP, NO_DEADLINE).name());
    assertEquals(2, server.requests().size());
  }

  @Test
  void cancel_onPersistentTimeout_endsDeadlineExceeded() {
    server.otherwise(Reply.json(200, "{}").after(Duration.ofSeconds(5)));
    RetrySettings settings =
        FAST.toBuilder().setPerCallTimeout(Duration.ofMillis(200)).setMaxAttempts(2).build();

    ApiException e =
        assertThrows(ApiException.class, () -> client(settings).cancel(OP, NO_DEADLINE));

    assertEquals(Code.DEADLINE_EXCEEDED, e.code());
    assertEquals(2, e.attempts());
    assertEquals(2, server.requests().size());
  }

  @Test
  void cancel_onRefusedConnection_isUnavailable() throws IOException {
    URI dead;
    try (ScriptedServer gone = new ScriptedServer()) {
      dead = gone.uri();
    }
    OperationsApi api =
        wrap(
            new HttpOperationsApi(
                dead, "v1", AccessTokens.none(), FAST.toBuilder().setMaxAttempts(2).build(), time),
            FAST.toBuilder().setMaxAttempts(2).build());

    ApiException e = assertThrows(ApiException.class, () -> api.cancel(OP, NO_DEADLINE));

    assertEquals(Code.UNAVAILABLE, e.code());
    assertEquals(2, e.attempts());
  }

  @Test
  void cancel_whenTheConnectTimesOut_isUnavailableNamingTheConnect() throws IOException {
    // A listener that never accepts, its queue filled: the kernel drops further SYNs, so the
    // client's connect waits out its own timeout.
    try (java.net.ServerSocket full =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      List<java.net.Socket> queued = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          java.net.Socket s = new java.net.Socket();
          try {
            s.connect(full.getLocalSocketAddress(), 200);
          } catch (java.net.SocketTimeoutException e) {
            s.close();
            break; // the queue is full
          }
          queued.add(s);
        }
        RetrySettings settings =
            FAST.toBuilder().setConnectTimeout(Duration.ofMillis(300)).setMaxAttempts(1).build();
        URI uri = URI.create("http://127.0.0.1:" + full.getLocalPort());
        OperationsApi api =
            wrap(new HttpOperationsApi(uri, "v1", AccessTokens.none(), settings, time), settings);

        ApiException e = assertThrows(ApiException.class, () -> api.cancel(OP, NO_DEADLINE));

        assertEquals(Code.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("connect timed out"), e.getMessage());
      } finally {
        for (java.net.Socket s : queued) {
          s.close();
        }
      }
    }
  }

  @Test
  void cancel_whenInterrupted_throwsCancelledAndKeepsTheInterruptFlag() {
    server.otherwise(Reply.json(200, "{}").after(Duration.ofSeconds(5)));
    Thread.currentThread().interrupt();
    try {
      ApiException e = assertThrows(ApiException.class, () -> client().cancel(OP, NO_DEADLINE));

      assertEquals(Code.CANCELLED, e.code());
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void get_bodyThatTricklesPastTheTimeout_endsDeadlineExceededNearTheTimeout() {
    // Headers at once, then a byte every 50 ms (seconds in all): no read ever waits long enough
    // for the read timeout, so only the exchange's own bound ends it.
    server.otherwise(Reply.json(200, RUNNING).trickled(Duration.ofMillis(50)));
    RetrySettings settings =
        FAST.toBuilder().setPerCallTimeout(Duration.ofMillis(700)).setMaxAttempts(1).build();

    long t0 = System.nanoTime();
    ApiException e = assertThrows(ApiException.class, () -> client(settings).get(OP, NO_DEADLINE));
    long tookMillis = (System.nanoTime() - t0) / 1_000_000;

    assertEquals(Code.DEADLINE_EXCEEDED, e.code());
    assertTrue(RUNNING.length() * 50 > 4000, "the body must take longer than the bound below");
    assertTrue(tookMillis < 4000, "took " + tookMillis + " ms");
  }

  @Test
  void cancel_onConnectionClosedUnanswered_isSentOnceByTheTransport() {
    // The POST goes in streaming mode, which the JDK never re-sends on its own.
    server.otherwise(Reply.hangUp());
    RetrySettings once = FAST.toBuilder().setMaxAttempts(1).build();

    ApiException e = assertThrows(ApiException.class, () -> client(once).cancel(OP, NO_DEADLINE));

    assertEquals(Code.UNAVAILABLE, e.code());
    assertEquals(1, server.requests().size());
  }

  @Test
  void get_onConnectionClosedUnanswered_isSentAtMostTwiceByTheTransport() {
    // The JDK re-sends a GET once when the connection fails before any answer (documented).
    server.otherwise(Reply.hangUp());
    RetrySettings once = FAST.toBuilder().setMaxAttempts(1).build();

    ApiException e = assertThrows(ApiException.class, () -> client(once).get(OP, NO_DEADLINE));

    assertEquals(Code.UNAVAILABLE, e.code());
    assertTrue(server.requests().size() <= 2, server.requests().size() + " requests");
  }

  @Test
  void get_onConnectionClosedUnansweredThenOk_succeeds() {
    server.then(Reply.hangUp(), Reply.json(200, RUNNING));

    assertEquals(OP.toString(), client().get(OP, NO_DEADLINE).name());
    assertEquals(2, server.requests().size());
  }

  @Test
  void get_fromManyThreadsAtOnce_sharesOneClientSafely() throws Exception {
    server.otherwise(Reply.json(200, RUNNING));
    OperationsApi api = client();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Operation>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        results.add(pool.submit(() -> api.get(OP, NO_DEADLINE)));
      }
      for (Future<Operation> f : results) {
        assertEquals(OP.toString(), f.get().name());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(64, server.requests().size());
  }

  // ---- Credentials over plain HTTP

  @Test
  void cancel_overPlainHttp_neverSendsAuthorization_evenWithATokenSource() {
    server.then(Reply.json(200, "{}"));
    CountingTokens tokens = new CountingTokens(0);

    client(FAST, tokens).cancel(OP, NO_DEADLINE);

    assertNull(server.requests().get(0).header("Authorization"));
    assertEquals(0, tokens.headerCalls.get());
  }

  @Test
  void cancel_on401ThenOk_refreshesOnceAndRetriesOnce() {
    server.then(Reply.error(401, "UNAUTHENTICATED"), Reply.json(200, "{}"));
    CountingTokens tokens = new CountingTokens(0);

    client(FAST, tokens).cancel(OP, NO_DEADLINE);

    assertEquals(2, server.requests().size());
    assertEquals(1, tokens.refreshes.get());
    assertTrue(time.sleeps().isEmpty());
  }

  @Test
  void cancel_onPersistent401_stopsAfterTwoRequests() {
    server.otherwise(Reply.error(401, "UNAUTHENTICATED"));
    CountingTokens tokens = new CountingTokens(0);

    ApiException e =
        assertThrows(ApiException.class, () -> client(FAST, tokens).cancel(OP, NO_DEADLINE));

    assertEquals(Code.UNAUTHENTICATED, e.code());
    assertEquals(2, e.attempts());
    assertEquals(2, server.requests().size());
    assertEquals(1, tokens.refreshes.get());
  }

  @Test
  void cancel_on401WhenRefreshFails_retriesAsUnavailable_thenSecond401IsFinal() {
    server.otherwise(Reply.error(401, "UNAUTHENTICATED"));
    CountingTokens tokens = new CountingTokens(1);

    ApiException e =
        assertThrows(ApiException.class, () -> client(FAST, tokens).cancel(OP, NO_DEADLINE));

    assertEquals(Code.UNAUTHENTICATED, e.code());
    assertEquals(2, server.requests().size());
    assertEquals(1, tokens.refreshes.get());
    assertFalse(e.getMessage().contains(CountingTokens.SECRET));
  }

  /** Tokens that fail their first {@code failures} refreshes; the header would carry a secret. */
  static final class CountingTokens implements AccessTokens {
    static final String SECRET = "ya29.secret-token";
    final AtomicInteger headerCalls = new AtomicInteger();
    final AtomicInteger refreshes = new AtomicInteger();
    final int failures;

    CountingTokens(int failures) {
      this.failures = failures;
    }

    @Override
    public Optional<String> authorizationHeader() {
      headerCalls.incrementAndGet();
      return Optional.of("Bearer " + SECRET);
    }

    @Override
    public void refresh() throws IOException {
      if (refreshes.incrementAndGet() <= failures) {
        throw new IOException("metadata server said 503 for " + SECRET);
      }
    }
  }

  @Test
  void cancel_errorBodyWhoseStatusSaysOk_isNotAcceptedButTheHttpStatusDecides() {
    server.then(Reply.json(400, "{\"error\":{\"code\":400,\"status\":\"OK\",\"message\":\"x\"}}"));

    ApiException e = assertThrows(ApiException.class, () -> client().cancel(OP, NO_DEADLINE));

    assertEquals(Code.INVALID_ARGUMENT, e.code());
  }

  @Test
  void get_responseBodyOverTheCap_failsWithAClearError_andIsNotRetried() {
    server.then(Reply.json(200, RUNNING + " ".repeat(2000)));
    OperationsApi api =
        wrap(
            new HttpOperationsApi(server.uri(), "v1", AccessTokens.none(), FAST, time, null, 1024),
            FAST);

    ApiException e = assertThrows(ApiException.class, () -> api.get(OP, NO_DEADLINE));

    assertEquals(Code.UNKNOWN, e.code());
    assertTrue(e.getMessage().contains("over 1024 bytes"), e.getMessage());
    assertEquals(1, server.requests().size());
  }

  @Test
  void get_responseBodyUnderTheCap_isRead() {
    server.then(Reply.json(200, RUNNING));
    OperationsApi api =
        wrap(
            new HttpOperationsApi(
                server.uri(), "v1", AccessTokens.none(), FAST, time, null, RUNNING.length()),
            FAST);
    assertEquals(OP.toString(), api.get(OP, NO_DEADLINE).name());
  }
}
