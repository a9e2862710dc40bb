package dev.fusioncancel.client;

import static dev.fusioncancel.client.TestClients.NO_DEADLINE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.client.ScriptedServer.Reply;
import dev.fusioncancel.client.ScriptedServer.Request;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.time.FakeTime;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The credential paths, which only run over https: against a real TLS server on 127.0.0.1. */
class HttpOperationsApiTlsTest {
  /** The production retry and budget layer (no budget limit) over one transport. */
  OperationsApi wrap(HttpOperationsApi transport, RetrySettings settings) {
    return TestClients.retrying(
        transport, settings, dev.fusioncancel.budget.Budgets.unlimited(), time);
  }

  static final OperationName OP =
      OperationName.parse("projects/my-project/locations/us-central1/operations/op-1");
  static final RetrySettings FAST =
      RetrySettings.newBuilder()
          .setInitialRetryDelay(Duration.ofMillis(100))
          .setPerCallTimeout(Duration.ofSeconds(5))
          .build();

  ScriptedServer server;
  FakeTime time;

  @BeforeEach
  void start() throws Exception {
    server = TestTls.server();
    time = new FakeTime();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The transport alone, against the TLS server, trusting its test certificate. */
  HttpOperationsApi transport(AccessTokens tokens) throws Exception {
    return new HttpOperationsApi(
        server.uri(),
        "v1",
        tokens,
        FAST,
        time,
        TestTls.clientContext(),
        HttpOperationsApi.MAX_RESPONSE_BYTES);
  }

  OperationsApi client(AccessTokens tokens) throws Exception {
    return wrap(transport(tokens), FAST);
  }

  @Test
  void cancel_overHttps_sendsTheTokenSourcesAuthorization() throws Exception {
    server.then(Reply.json(200, "{}"));

    client(new ScriptedTokens(0)).cancel(OP, NO_DEADLINE);

    Request r = server.requests().get(0);
    assertEquals("Bearer token-1", r.header("Authorization"));
    assertEquals("POST", r.method());
    assertEquals(0, r.body().length);
  }

  @Test
  void cancel_on401ThenOk_refreshesOnceAndResendsWithTheNewToken() throws Exception {
    server.then(Reply.error(401, "UNAUTHENTICATED"), Reply.json(200, "{}"));
    ScriptedTokens tokens = new ScriptedTokens(0);

    client(tokens).cancel(OP, NO_DEADLINE);

    assertEquals(
        List.of("Bearer token-1", "Bearer token-2"),
        server.requests().stream().map(r -> r.header("Authorization")).toList());
    assertEquals(1, tokens.refreshes.get());
    assertTrue(time.sleeps().isEmpty());
  }

  @Test
  void cancel_onPersistent401_isFinalAfterOneRefreshAndTwoRequests() throws Exception {
    server.otherwise(Reply.error(401, "UNAUTHENTICATED"));
    ScriptedTokens tokens = new ScriptedTokens(0);

    ApiException e = assertThrows(ApiException.class, () -> client(tokens).cancel(OP, NO_DEADLINE));

    assertEquals(Code.UNAUTHENTICATED, e.code());
    assertEquals(2, e.attempts());
    assertEquals(2, server.requests().size());
    assertEquals(1, tokens.refreshes.get());
  }

  @Test
  void cancel_whenTokenSourceFailsTwice_retriesAndSucceeds() throws Exception {
    server.then(Reply.json(200, "{}"));
    ScriptedTokens tokens = new ScriptedTokens(2);

    client(tokens).cancel(OP, NO_DEADLINE);

    assertEquals(3, tokens.headerCalls.get());
    assertEquals(1, server.requests().size());
    assertEquals(2, time.sleeps().size());
  }

  @Test
  void cancel_whenTokenSourceKeepsFailing_endsUnavailableWithoutTheSecret() throws Exception {
    ScriptedTokens tokens = new ScriptedTokens(Integer.MAX_VALUE);

    ApiException e = assertThrows(ApiException.class, () -> client(tokens).cancel(OP, NO_DEADLINE));

    assertEquals(Code.UNAVAILABLE, e.code());
    assertEquals(FAST.maxAttempts(), e.attempts());
    assertTrue(server.requests().isEmpty());
    assertFalse(e.getMessage().contains("token-"));
    assertFalse(e.getMessage().contains(ScriptedTokens.FAILURE));
  }

  @Test
  void warmUp_overHttps_asksTheTokenSourceOnce_andSendsNothingToTheEndpoint() throws Exception {
    ScriptedTokens tokens = new ScriptedTokens(0);
    HttpOperationsApi api = transport(tokens);

    assertTrue(api.warmUp());

    assertEquals(1, tokens.headerCalls.get(), "the first call's token, fetched ahead");
    assertEquals(List.of(), server.requests(), "nothing went to the endpoint");
  }

  @Test
  void warmUp_whenTheTokenSourceFails_stillWorks_andTheFirstCallAsksAgain() throws Exception {
    ScriptedTokens tokens = new ScriptedTokens(1);
    server.then(Reply.json(200, "{}"));
    HttpOperationsApi api = transport(tokens);

    assertTrue(api.warmUp());
    wrap(api, FAST).cancel(OP, NO_DEADLINE);

    assertEquals(2, tokens.headerCalls.get());
    assertEquals("Bearer token-1", server.requests().get(0).header("Authorization"));
  }

  /** Gives {@code Bearer token-N}, N growing with each refresh; fails its first calls. */
  static final class ScriptedTokens implements AccessTokens {
    static final String FAILURE = "metadata server answered 503";
    final AtomicInteger headerCalls = new AtomicInteger();
    final AtomicInteger refreshes = new AtomicInteger();
    final int failures;

    ScriptedTokens(int failures) {
      this.failures = failures;
    }

    @Override
    public Optional<String> authorizationHeader() throws IOException {
      if (headerCalls.incrementAndGet() <= failures) {
        throw new IOException(FAILURE + " token-0");
      }
      return Optional.of("Bearer token-" + (refreshes.get() + 1));
    }

    @Override
    public void refresh() {
      refreshes.incrementAndGet();
    }
  }
}
