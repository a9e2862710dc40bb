package dev.fusioncancel.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A tiny HTTP server on 127.0.0.1 for client tests: answers each request with the next scripted
 * {@link Reply} (or the fallback) and records what it received.
 */
final class ScriptedServer implements AutoCloseable {
  /** What the server received. */
  record Request(
      String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body) {
    /** The first value of a header (case-insensitive), or null. */
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** One scripted answer: a response, a dropped connection, or a response after a delay. */
  record Reply(
      int status,
      String body,
      Map<String, String> headers,
      boolean drop,
      Duration delay,
      Duration bodyDelay) {
    Reply(int status, String body, Map<String, String> headers, boolean drop, Duration delay) {
      this(status, body, headers, drop, delay, null);
    }

    static Reply json(int status, String body) {
      return new Reply(status, body, Map.of("Content-Type", "application/json"), false, null);
    }

    static Reply error(int status, String rpcStatus) {
      return json(
          status,
          "{\"error\":{\"code\":"
              + status
              + ",\"status\":\""
              + rpcStatus
              + "\",\"message\":\"scripted "
              + rpcStatus
              + "\"}}");
    }

    static Reply status(int status) {
      return new Reply(status, "", Map.of(), false, null);
    }

    /** Closes the connection without answering. */
    static Reply hangUp() {
      return new Reply(0, "", Map.of(), true, null);
    }

    Reply withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Reply(status, body, h, drop, delay, bodyDelay);
    }

    Reply after(Duration d) {
      return new Reply(status, body, headers, drop, d, bodyDelay);
    }

    /** The headers at once, then the body one byte at a time, {@code d} apart. */
    Reply trickled(Duration d) {
      return new Reply(status, body, headers, drop, delay, d);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Reply fallback = Reply.error(500, "INTERNAL").withHeader("X-Unscripted", "1");

  ScriptedServer() throws IOException {
    this(HttpServer.create());
  }

  ScriptedServer(HttpServer unbound) throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = unbound;
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** {@code http://127.0.0.1:port} (or https for a TLS server). */
  URI uri() {
    String scheme = server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http";
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Appends answers to the script, used in order. */
  ScriptedServer then(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  /** The answer once the script is used up. */
  ScriptedServer otherwise(Reply reply) {
    fallback = reply;
    return this;
  }

  /** Every request received so far. */
  List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
    URI uri = exchange.getRequestURI();
    requests.add(
        new Request(
            exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers, body));
    Reply reply = script.poll();
    if (reply == null) {
      reply = fallback;
    }
    if (reply.delay() != null) {
      try {
        closed.await(reply.delay().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (reply.drop()) {
      exchange.close(); // no response headers were sent: the connection is closed unanswered
      return;
    }
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
    try (OutputStream os = exchange.getResponseBody()) {
      if (reply.bodyDelay() != null) {
        for (byte b : out) {
          os.write(b);
          os.flush();
          try {
            if (closed.await(reply.bodyDelay().toMillis(), TimeUnit.MILLISECONDS)) {
              return;
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      } else {
        os.write(out);
      }
    }
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
