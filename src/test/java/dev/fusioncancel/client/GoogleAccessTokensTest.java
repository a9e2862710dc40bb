package dev.fusioncancel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.fusioncancel.config.Config;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GoogleAccessTokensTest {
  /** Credentials whose every refresh mints {@code tok-N}, valid for an hour. */
  static final class MintingCredentials extends GoogleCredentials {
    final AtomicInteger refreshes = new AtomicInteger();

    @Override
    public AccessToken refreshAccessToken() {
      int n = refreshes.incrementAndGet();
      return new AccessToken("tok-" + n, Date.from(Instant.now().plusSeconds(3600)));
    }
  }

  @Test
  void authorizationHeader_isABearerTokenFromTheCredentials() throws IOException {
    MintingCredentials creds = new MintingCredentials();
    GoogleAccessTokens tokens = new GoogleAccessTokens(() -> creds);

    assertEquals(Optional.of("Bearer tok-1"), tokens.authorizationHeader());
    assertEquals(Optional.of("Bearer tok-1"), tokens.authorizationHeader());
    assertEquals(1, creds.refreshes.get());
  }

  @Test
  void refresh_mintsANewToken() throws IOException {
    MintingCredentials creds = new MintingCredentials();
    GoogleAccessTokens tokens = new GoogleAccessTokens(() -> creds);
    tokens.authorizationHeader();

    tokens.refresh();

    assertEquals(Optional.of("Bearer tok-2"), tokens.authorizationHeader());
  }

  @Test
  void credentials_areLoadedOnceAndSharedByAllThreads() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    MintingCredentials creds = new MintingCredentials();
    GoogleAccessTokens tokens =
        new GoogleAccessTokens(
            () -> {
              loads.incrementAndGet();
              try {
                Thread.sleep(20);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return creds;
            });
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Callable<Optional<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        calls.add(tokens::authorizationHeader);
      }
      for (Future<Optional<String>> f : pool.invokeAll(calls)) {
        assertTrue(f.get().orElseThrow().startsWith("Bearer tok-"));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, loads.get());
  }

  @Test
  void load_whenItFails_isTriedAgainNextTime() throws IOException {
    AtomicInteger loads = new AtomicInteger();
    MintingCredentials creds = new MintingCredentials();
    GoogleAccessTokens tokens =
        new GoogleAccessTokens(
            () -> {
              if (loads.incrementAndGet() == 1) {
                throw new IOException("metadata server not ready");
              }
              return creds;
            });

    assertThrows(IOException.class, tokens::authorizationHeader);
    assertEquals(Optional.of("Bearer tok-1"), tokens.authorizationHeader());
    assertEquals(2, loads.get());
  }

  @Test
  void toString_namesNoToken() throws IOException {
    GoogleAccessTokens tokens = new GoogleAccessTokens(MintingCredentials::new);
    tokens.authorizationHeader();

    assertFalse(tokens.toString().contains("tok-"));
  }

  @Test
  void authorizationFor_plainHttp_isEmptyAndNeverAsksTheTokenSource() throws IOException {
    AccessTokens exploding =
        new AccessTokens() {
          @Override
          public Optional<String> authorizationHeader() {
            throw new AssertionError("the token source must not be asked over plain http");
          }

          @Override
          public void refresh() {}
        };

    assertEquals(
        Optional.empty(),
        HttpOperationsApi.authorizationFor(URI.create("http://127.0.0.1:8080"), exploding));
  }

  @Test
  void authorizationFor_https_isTheTokenSourcesValue() throws IOException {
    GoogleAccessTokens tokens = new GoogleAccessTokens(MintingCredentials::new);

    assertEquals(
        Optional.of("Bearer tok-1"),
        HttpOperationsApi.authorizationFor(
            URI.create("https://datafusion.googleapis.com"), tokens));
  }

  @Test
  void authorizationFor_valueWithLineBreak_isRefused() {
    AccessTokens injecting =
        new AccessTokens() {
          @Override
          public Optional<String> authorizationHeader() {
            return Optional.of("Bearer x\r\nX-Evil: 1");
          }

          @Override
          public void refresh() {}
        };

    IOException e =
        assertThrows(
            IOException.class,
            () ->
                HttpOperationsApi.authorizationFor(
                    URI.create("https://datafusion.googleapis.com"), injecting));
    assertFalse(e.getMessage().contains("Bearer"));
  }

  @Test
  void fromConfig_buildsWithoutTouchingCredentialsOrNetwork() {
    HttpOperationsApi https =
        HttpOperationsApi.fromConfig(Config.from(Map.of()), RetrySettings.DEFAULT);
    HttpOperationsApi http =
        HttpOperationsApi.fromConfig(
            Config.from(
                Map.of(
                    "DATAFUSION_ENDPOINT",
                    "http://127.0.0.1:9",
                    "DATAFUSION_API_VERSION",
                    "v1beta1")),
            RetrySettings.DEFAULT);

    assertEquals(URI.create("https://datafusion.googleapis.com"), https.endpoint());
    assertEquals(URI.create("http://127.0.0.1:9"), http.endpoint());
  }

  @Test
  void constructor_refusesEndpointsWithPathQueryOrOtherSchemes() {
    for (String bad :
        List.of(
            "ftp://example.com",
            "https://example.com/v1",
            "https://example.com?x=1",
            "https://user@example.com")) {
      assertThrows(
          IllegalArgumentException.class,
          () ->
              new HttpOperationsApi(
                  URI.create(bad),
                  "v1",
                  AccessTokens.none(),
                  RetrySettings.DEFAULT,
                  Clock.systemUTC()),
          bad);
    }
  }
}
