package dev.fusioncancel.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.fusioncancel.client.TestTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * HTTPS in front of a plain-HTTP server (the Data Fusion emulator), with the test certificate of
 * {@link TestTls}: the client only sends a token over https, so this is how token paths run end to
 * end. Every request is passed on as is (method, raw path and query, body, {@code Authorization})
 * and every answer passed back as is, 3xx included; a reset upstream resets the client's
 * connection. The {@code Authorization} values it saw are kept for assertions (the emulator
 * deliberately keeps only their presence).
 */
public final class TlsFront implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP =
      Set.of("connection", "content-length", "transfer-encoding", "date", "keep-alive");

  private final HttpsServer server;
  private final URI upstream;
  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .version(HttpClient.Version.HTTP_1_1)
          .build();
  private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());

  /**
   * Starts on a free loopback port, passing requests on to {@code upstream} (scheme://host:port).
   */
  public TlsFront(String upstream) throws Exception {
    this.upstream = URI.create(upstream);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(TestTls.serverContext()));
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/", this::handle);
    server.start();
  }

  /** The https endpoint, for {@code DATAFUSION_ENDPOINT}. */
  public String endpoint() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The {@code Authorization} header of every request, in arrival order ("" when absent). */
  public List<String> authorizations() {
    synchronized (authorizations) {
      return List.copyOf(authorizations);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    authorizations.add(auth == null ? "" : auth);
    byte[] body = ex.getRequestBody().readAllBytes();
    URI in = ex.getRequestURI();
    String target =
        upstream + in.getRawPath() + (in.getRawQuery() == null ? "" : "?" + in.getRawQuery());
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(target))
            .timeout(Duration.ofSeconds(60))
            .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    HttpResponse<byte[]> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      ex.close(); // upstream reset: close ours too, without an answer
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.close();
      return;
    }
    r.headers()
        .map()
        .forEach(
            (k, v) -> {
              if (!HOP_BY_HOP.contains(k.toLowerCase()) && !k.startsWith(":")) {
                v.forEach(value -> ex.getResponseHeaders().add(k, value));
              }
            });
    byte[] answer = r.body();
    ex.sendResponseHeaders(r.statusCode(), answer.length == 0 ? -1 : answer.length);
    if (answer.length > 0) {
      ex.getResponseBody().write(answer);
    }
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
