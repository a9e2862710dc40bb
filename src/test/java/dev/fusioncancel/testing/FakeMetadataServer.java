package dev.fusioncancel.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real GCE metadata server on loopback, for google-auth's {@code ComputeEngineCredentials}
 * (point it here with {@code GCE_METADATA_HOST}). Like the real one it answers only requests that
 * carry {@code Metadata-Flavor: Google} (403 otherwise) and marks every answer with that header,
 * which is how google-auth's "am I on GCE?" ping recognises it. The token endpoint answers 503 for
 * the first {@code failFirst} requests, then a token.
 */
public final class FakeMetadataServer implements AutoCloseable {
  /** The token path google-auth asks for the default service account. */
  public static final String TOKEN_PATH =
      "/computeMetadata/v1/instance/service-accounts/default/token";

  /** One request: path, raw query (or null), and whether it carried the flavor header. */
  public record Request(String path, String query, boolean flavor) {}

  private final HttpServer server;
  private final String token;
  private final AtomicInteger failuresLeft;
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

  /** Starts on a free loopback port; the token endpoint fails {@code failFirst} times with 503. */
  public FakeMetadataServer(String token, int failFirst) throws IOException {
    this.token = token;
    this.failuresLeft = new AtomicInteger(failFirst);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** {@code host:port}, the value for {@code GCE_METADATA_HOST}. */
  public String hostPort() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every request so far, oldest first. */
  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** The requests for an access token. */
  public List<Request> tokenRequests() {
    return requests().stream().filter(r -> r.path().equals(TOKEN_PATH)).toList();
  }

  /** How many tokens were handed out (200 answers of the token endpoint). */
  public int tokensIssued() {
    return tokensIssued.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      boolean flavor = "Google".equals(ex.getRequestHeaders().getFirst("Metadata-Flavor"));
      requests.add(new Request(path, ex.getRequestURI().getRawQuery(), flavor));
      ex.getResponseHeaders().set("Metadata-Flavor", "Google");
      if (!flavor) {
        reply(ex, 403, "text/plain", "Missing Metadata-Flavor:Google header.");
      } else if (path.equals("/")) {
        reply(ex, 200, "text/plain", "computeMetadata/\n");
      } else if (path.equals(TOKEN_PATH)) {
        if (failuresLeft.getAndDecrement() > 0) {
          reply(ex, 503, "text/plain", "metadata server warming up");
        } else {
          tokensIssued.incrementAndGet();
          reply(
              ex,
              200,
              "application/json",
              "{\"access_token\":\"" + token + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
        }
      } else if (path.equals("/computeMetadata/v1/universe/universe-domain")) {
        reply(ex, 200, "application/text", "googleapis.com");
      } else {
        reply(ex, 404, "text/plain", "not found");
      }
    }
  }

  private static void reply(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
