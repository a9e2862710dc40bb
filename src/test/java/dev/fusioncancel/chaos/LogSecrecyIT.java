package dev.fusioncancel.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpServer;
import dev.fusioncancel.emulator.Behaviour;
import dev.fusioncancel.emulator.Faults.AuthMode;
import dev.fusioncancel.testing.FakeMetadataServer;
import dev.fusioncancel.testing.FunctionProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, security: a real Bearer token (real ADC from a local metadata server, over real TLS)
 * never appears in any output line even with every HTTP logger of the JVM at its most verbose, and
 * a redirect from the endpoint is never followed, so the token can never travel to another host.
 */
class LogSecrecyIT {
  private static final String OP = TokenChaosIT.OP;
  private static ChaosRig.Tls tls;

  @BeforeAll
  static void start() throws Exception {
    tls = ChaosRig.openTls();
  }

  @AfterAll
  static void stop() {
    if (tls != null) {
      tls.close();
    }
  }

  @BeforeEach
  void reset() {
    tls.emulator().reset();
  }

  /** JVM options that turn every HTTP logger on: the JDK's HttpURLConnection, google-http. */
  static String[] verboseHttpLogging() throws Exception {
    Path config = Files.createTempFile("fusion-cancel-logging", ".properties");
    config.toFile().deleteOnExit();
    Files.writeString(
        config,
        String.join(
            "\n",
            "handlers=java.util.logging.ConsoleHandler",
            ".level=ALL",
            "java.util.logging.ConsoleHandler.level=ALL",
            "com.google.api.client.http.level=ALL",
            "com.google.auth.level=ALL",
            "sun.net.www.protocol.http.HttpURLConnection.level=ALL",
            ""));
    return new String[] {
      "-Djava.util.logging.config.file=" + config,
    };
  }

  @Test
  void tokenAndAuthorizationValue_neverAppearInAnyLogLine_withEveryHttpLoggerAtAll()
      throws Exception {
    String token = "ya29.secret-" + UUID.randomUUID();
    tls.emulator().seed(OP + "secret", Behaviour.cancellable());
    tls.emulator().seed(OP + "refreshed", Behaviour.cancellable());
    tls.emulator().faults().authMode(AuthMode.REQUIRE_BEARER);
    // A 401 on the second operation's cancel: the refresh path must not log the token either.
    tls.emulator()
        .faults()
        .forOperation(OP + "refreshed")
        .failNext(1, dev.fusioncancel.rpc.Code.UNAUTHENTICATED);
    try (FakeMetadataServer metadata = new FakeMetadataServer(token, 1);
        FunctionProcess f =
            TokenChaosIT.startWithAdc(metadata, tls.front().endpoint(), verboseHttpLogging())) {
      for (String id : List.of("secret", "refreshed")) {
        HttpResponse<String> r = TokenChaosIT.cancel(f, OP + id);
        assertEquals(200, r.statusCode(), r.body());
      }
      assertTrue(
          tls.front().authorizations().contains("Bearer " + token), "the real token went over TLS");
      Thread.sleep(500); // let the last log lines arrive
      List<String> lines = f.lines();
      assertTrue(
          lines.stream().anyMatch(l -> l.contains("MessageHeader")),
          "the JDK's HttpURLConnection header dump is really on: " + lines.size() + " lines");
      List<String> leaks =
          lines.stream()
              .filter(
                  l ->
                      l.contains(token)
                          || l.toLowerCase().matches(".*authorization\\s*[:=]\\s*bearer.*"))
              .toList();
      assertEquals(List.of(), leaks, "lines with the token or the Authorization value");
      assertTrue(
          lines.stream().anyMatch(l -> l.contains("Authorization: <redacted>")),
          "the JDK header dump ran, redacted");
      assertTrue(
          lines.stream().anyMatch(l -> l.contains("\"access_token\":\"<redacted>\"")),
          "google-http's token response log ran, redacted");
      for (String line : lines) {
        assertFalse(line.contains(token), "token in a log line: " + line);
        assertFalse(
            line.toLowerCase().matches(".*authorization\\s*[:=]\\s*bearer.*"),
            "Authorization value in a log line: " + line);
      }
    }
  }

  @Test
  void redirectFromTheEndpoint_isNotFollowed_andAnswersAnRpcError() throws Exception {
    AtomicInteger trapped = new AtomicInteger();
    HttpServer trap =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    trap.createContext(
        "/",
        ex -> {
          trapped.incrementAndGet();
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    trap.start();
    String location = "http://127.0.0.1:" + trap.getAddress().getPort() + "/stolen";
    tls.emulator().seed(OP + "moved", Behaviour.cancellable());
    tls.emulator().faults().forOperation(OP + "moved").redirectNext(50, location);
    try (FakeMetadataServer metadata = new FakeMetadataServer("tok-redirect", 0);
        FunctionProcess f = TokenChaosIT.startWithAdc(metadata, tls.front().endpoint())) {
      HttpResponse<String> r = TokenChaosIT.cancel(f, OP + "moved");

      assertTrue(r.statusCode() >= 400 && r.statusCode() < 600, r.statusCode() + " " + r.body());
      JsonObject error = TokenChaosIT.json(r).getAsJsonObject("error");
      assertEquals(r.statusCode(), error.get("code").getAsInt(), r.body());
      assertTrue(error.has("status") && error.has("message"), r.body());
      assertEquals(0, trapped.get(), "the Location target was never requested");
      assertTrue(tls.emulator().journal().statusCount(302) >= 1);
      assertEquals(1, tls.emulator().journal().cancelCount(OP + "moved"), "a 302 is not retried");
      System.out.println("redirect answer: " + r.statusCode() + " " + r.body());
    } finally {
      trap.stop(0);
    }
  }
}
