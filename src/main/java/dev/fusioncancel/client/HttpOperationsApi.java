package dev.fusioncancel.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.config.Endpoint;
import dev.fusioncancel.log.SecretRedaction;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.name.ProjectName;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.rpc.RpcStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@link OperationsTransport} over Data Fusion's REST API: exactly one HTTP exchange per call, on
 * the JDK's {@link HttpURLConnection}.
 *
 * <p>Why {@code HttpURLConnection} and not the JDK's {@code java.net.http.HttpClient}: cold start.
 * In a fresh JVM the first exchange through {@code HttpClient} costs about 250 ms more CPU than
 * through {@code HttpURLConnection} (its selector thread, its asynchronous machinery and about 275
 * classes of its own, measured here with the same TLS set-up excluded), and a function instance
 * pays that on its first request. Both are in the JDK, add no dependency, have connect and read
 * timeouts and can be told not to follow redirects ({@link
 * HttpURLConnection#setInstanceFollowRedirects}), so a request, and its token, can never be sent to
 * a host other than the configured endpoint. HTTP/1.1 with keep-alive is plenty for the rates a
 * quota of 600 requests per minute allows; the keep-alive pool keeps up to {@link
 * #KEEP_ALIVE_CONNECTIONS} idle connections (the JDK's default is 5), as many as the bulk worker
 * pool can have, unless {@code http.maxConnections} is set. google-http-client would add a
 * transport abstraction and its own retry handling that we would have to switch off, and little
 * else: the calls here are plain JSON.
 *
 * <p>URLs are built only from validated {@link OperationName}, {@link LocationName} and {@link
 * ProjectName} values, so nothing from a caller reaches a URL unchecked: {@code POST
 * {endpoint}/{version}/{name}:cancel} with an empty body, {@code GET {endpoint}/{version}/{name}},
 * {@code GET {endpoint}/{version}/{parent}/operations?pageSize=N&pageToken=T} and {@code GET
 * {endpoint}/{version}/projects/P/locations?pageSize=N&pageToken=T}. No proxy is used.
 *
 * <p>Errors: a non-2xx answer becomes an {@link ApiException} classified by {@link
 * RpcStatus#fromHttp} (the body's {@code error.status} first, the HTTP status as fallback); a 3xx
 * is never followed and is UNKNOWN; a 2xx whose body cannot be read is UNKNOWN; a reset or refused
 * connection is UNAVAILABLE, a timeout DEADLINE_EXCEEDED, and a body over {@link
 * #MAX_RESPONSE_BYTES} UNKNOWN with a message naming the cap. Retries, permits and the re-send
 * after a 401 ({@link #refreshCredentials}) belong to {@link RetryingOperationsApi}. A failure of
 * the token source is UNAVAILABLE, so it is retried like any transient failure.
 *
 * <p>One re-send is the JDK's own: when a connection fails before any answer arrives, {@code
 * HttpURLConnection} sends a GET once more at once (for a pooled connection the server had already
 * closed, the usual cause, the server never saw the first). The {@code :cancel} POST is sent in
 * fixed-length streaming mode, which the JDK never re-sends.
 *
 * <p>Over plain {@code http://} (loopback emulators) no {@code Authorization} header is ever sent,
 * whatever the {@link AccessTokens} would give. Thread-safe: the connections of one process share
 * the JDK's keep-alive pool.
 */
public final class HttpOperationsApi implements OperationsTransport {
  private static final String USER_AGENT = "fusion-cancel/0.1 (Java-http-client)";

  /**
   * Response bodies larger than this are refused unread (a page of 1000 operations is about 1 MB):
   * an upstream, or anything posing as one, cannot make the function hold an unbounded body.
   */
  public static final int MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

  /**
   * Idle keep-alive connections kept per destination, unless {@code http.maxConnections} is set.
   */
  static final int KEEP_ALIVE_CONNECTIONS = 128;

  static {
    // Read once by the JDK, when its keep-alive pool is first used: set before any connection.
    System.getProperties()
        .putIfAbsent("http.maxConnections", Integer.toString(KEEP_ALIVE_CONNECTIONS));
  }

  /** Ends exchanges that outlive their timeout (a body that trickles in): one daemon thread. */
  private static final class Watchdog {
    static final ScheduledThreadPoolExecutor TIMER = timer();

    private static ScheduledThreadPoolExecutor timer() {
      ScheduledThreadPoolExecutor t =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread thread = new Thread(r, "fusion-cancel-http-watchdog");
                thread.setDaemon(true);
                return thread;
              });
      t.setRemoveOnCancelPolicy(true);
      return t;
    }
  }

  private final URI endpoint;
  private final String apiVersion;
  private final AccessTokens tokens;
  private final Clock clock;
  private final int maxResponseBytes;
  private final Duration connectTimeout;
  private final SSLSocketFactory sslSocketFactory;

  /**
   * A client for {@code endpoint} (scheme, host and port only).
   *
   * @param apiVersion {@code v1} or {@code v1beta1}
   * @param tokens where the {@code Authorization} header comes from; ignored over plain http
   * @param settings only {@link RetrySettings#connectTimeout()} is used here
   * @param clock the wall clock, for {@code Retry-After} given as an HTTP date
   */
  public HttpOperationsApi(
      URI endpoint, String apiVersion, AccessTokens tokens, RetrySettings settings, Clock clock) {
    this(endpoint, apiVersion, tokens, settings, clock, null, MAX_RESPONSE_BYTES);
  }

  /** As the public constructor, with a TLS context (null for the JDK default) and a body cap. */
  HttpOperationsApi(
      URI endpoint,
      String apiVersion,
      AccessTokens tokens,
      RetrySettings settings,
      Clock clock,
      SSLContext sslContext,
      int maxResponseBytes) {
    this.endpoint = Endpoint.parse(endpoint.toString());
    if (!"v1".equals(apiVersion) && !"v1beta1".equals(apiVersion)) {
      throw new IllegalArgumentException("apiVersion must be v1 or v1beta1, got " + apiVersion);
    }
    this.apiVersion = apiVersion;
    this.tokens = tokens;
    this.clock = clock;
    this.maxResponseBytes = maxResponseBytes;
    this.connectTimeout = settings.connectTimeout();
    this.sslSocketFactory = sslContext == null ? null : sslContext.getSocketFactory();
  }

  /**
   * Loads the request path before the first real call, on the caller's thread (the functions call
   * it from a background thread while the instance starts): one exchange with a throwaway server on
   * a loopback port of this process and, for an https endpoint, the TLS context and the access
   * token the first real call needs (asked of the token source as that call would: Application
   * Default Credentials cache it; a failure is ignored, and the first call asks again). Nothing is
   * sent to the endpoint. Returns whether the loopback exchange worked.
   */
  public boolean warmUp() {
    try (java.net.ServerSocket server =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(2000);
      Thread responder =
          new Thread(
              () -> {
                try (java.net.Socket s = server.accept()) {
                  s.setSoTimeout(2000);
                  java.io.InputStream in = s.getInputStream();
                  int last4 = 0;
                  int b;
                  while ((b = in.read()) != -1) {
                    last4 = (last4 << 8) | b;
                    if (last4 == 0x0d0a0d0a) {
                      break;
                    }
                  }
                  s.getOutputStream()
                      .write(
                          ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                  + "Content-Length: 2\r\nConnection: close\r\n\r\n{}")
                              .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                  // the sender sees the failure
                }
              },
              "fusion-cancel-warmup-responder");
      responder.setDaemon(true);
      responder.start();
      URI local = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/warm-up");
      return exchange(
              "GET", local, Duration.ofSeconds(2), Optional.empty(), HttpOperationsApi::parseObject)
          .isJsonObject();
    } catch (IOException | RuntimeException e) {
      return false;
    } finally {
      if (!plainHttp()) {
        warmUpTls();
      }
    }
  }

  /**
   * The TLS context the first https call needs (the JDK default's trust store is read here) and its
   * access token, asked of the token source once; a failure is left to the first call, which asks
   * again and reports its own.
   */
  private void warmUpTls() {
    try {
      (sslSocketFactory != null
              ? sslSocketFactory
              : HttpsURLConnection.getDefaultSSLSocketFactory())
          .getDefaultCipherSuites();
      authorization();
    } catch (IOException | RuntimeException ignored) {
      // only an optimisation
    }
  }

  /**
   * The production transport: the configured endpoint and version, Application Default Credentials
   * (none for a plain-HTTP emulator); token values are redacted from the HTTP libraries' debug logs
   * ({@link SecretRedaction}).
   */
  public static HttpOperationsApi fromConfig(Config config, RetrySettings settings) {
    SecretRedaction.install();
    return new HttpOperationsApi(
        config.endpoint(),
        config.apiVersion(),
        config.plainHttp() ? AccessTokens.none() : new GoogleAccessTokens(),
        settings,
        Clock.systemUTC());
  }

  @Override
  public void cancel(OperationName name, Duration timeout) {
    URI uri = url(name + ":cancel");
    exchange("POST", uri, timeout, HttpOperationsApi::parseCancelAnswer);
  }

  @Override
  public Operation get(OperationName name, Duration timeout) {
    URI uri = url(name.toString());
    return exchange("GET", uri, timeout, HttpOperationsApi::parseOperation);
  }

  /**
   * {@inheritDoc}
   *
   * @param pageSize the page size asked for; 0 or less leaves it to the server
   * @param pageToken the previous page's {@code nextPageToken}, or null for the first page
   */
  @Override
  public OperationPage list(LocationName parent, int pageSize, String pageToken, Duration timeout) {
    URI uri = url(paged(parent + "/operations", pageSize, pageToken));
    return exchange("GET", uri, timeout, HttpOperationsApi::parsePage);
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code GET {endpoint}/{version}/projects/P/locations?pageSize=N&pageToken=T}, read strictly
   * ({@link LocationPage#fromJson}): a body of another shape is UNKNOWN, never a guessed location.
   */
  @Override
  public LocationPage listLocations(
      ProjectName project, int pageSize, String pageToken, Duration timeout) {
    URI uri = url(paged(project + "/locations", pageSize, pageToken));
    return exchange("GET", uri, timeout, body -> LocationPage.fromJson(project, parseObject(body)));
  }

  @Override
  public void refreshCredentials() {
    try {
      tokens.refresh();
    } catch (IOException | RuntimeException e) {
      throw ApiException.transport(
          Code.UNAVAILABLE,
          "could not refresh the access token (" + e.getClass().getSimpleName() + ")",
          e);
    }
  }

  /** {@code path?pageSize=N&pageToken=T}, each part only when set. */
  private static String paged(String path, int pageSize, String pageToken) {
    StringBuilder query = new StringBuilder();
    if (pageSize > 0) {
      query.append("pageSize=").append(pageSize);
    }
    if (pageToken != null && !pageToken.isEmpty()) {
      query.append(query.length() == 0 ? "" : "&").append("pageToken=").append(encode(pageToken));
    }
    return query.length() == 0 ? path : path + "?" + query;
  }

  /** The endpoint this client calls. */
  public URI endpoint() {
    return endpoint;
  }

  /** The {@code Authorization} header for a request: never over plain HTTP. */
  Optional<String> authorization() throws IOException {
    return authorizationFor(endpoint, tokens);
  }

  /**
   * The {@code Authorization} header a request to {@code endpoint} carries: the token source's
   * value over https, nothing over any other scheme (and the token source is then not asked).
   */
  static Optional<String> authorizationFor(URI endpoint, AccessTokens tokens) throws IOException {
    if (!"https".equalsIgnoreCase(endpoint.getScheme())) {
      return Optional.empty();
    }
    Optional<String> value = tokens.authorizationHeader();
    if (value.isPresent() && !safeHeaderValue(value.get())) {
      throw new IOException("the token source gave an Authorization value that is not a header");
    }
    return value;
  }

  private boolean plainHttp() {
    return "http".equalsIgnoreCase(endpoint.getScheme());
  }

  private URI url(String pathAndQuery) {
    return URI.create(endpoint + "/" + apiVersion + "/" + pathAndQuery);
  }

  /** Exactly one HTTP exchange, bounded by {@code timeout} from sending to the body's end. */
  private <T> T exchange(String method, URI uri, Duration timeout, Function<String, T> parse) {
    Optional<String> authorization;
    try {
      authorization = authorization();
    } catch (IOException | RuntimeException e) {
      throw ApiException.transport(
          Code.UNAVAILABLE,
          "could not get an access token (" + e.getClass().getSimpleName() + ")",
          e);
    }
    return exchange(method, uri, timeout, authorization, parse);
  }

  private <T> T exchange(
      String method,
      URI uri,
      Duration timeout,
      Optional<String> authorization,
      Function<String, T> parse) {
    String what = method + " " + uri.getPath();
    if (Thread.currentThread().isInterrupted()) {
      // An interrupted worker starts no request (blocking socket reads cannot be interrupted).
      throw ApiException.transport(Code.CANCELLED, what + ": interrupted", null);
    }
    int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    AtomicBoolean timedOut = new AtomicBoolean();
    boolean connected = false;
    HttpURLConnection connection;
    ScheduledFuture<?> watch = null;
    try {
      connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
      if (connection instanceof HttpsURLConnection https && sslSocketFactory != null) {
        https.setSSLSocketFactory(sslSocketFactory);
      }
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setConnectTimeout(
          (int) Math.max(1, Math.min(timeoutMillis, connectTimeout.toMillis())));
      connection.setReadTimeout(timeoutMillis);
      connection.setRequestMethod(method);
      connection.setRequestProperty("Accept", "application/json");
      connection.setRequestProperty("User-Agent", USER_AGENT);
      authorization.ifPresent(value -> connection.setRequestProperty("Authorization", value));
      HttpURLConnection watched = connection;
      watch =
          Watchdog.TIMER.schedule(
              () -> {
                timedOut.set(true);
                watched.disconnect();
              },
              timeout.toNanos(),
              TimeUnit.NANOSECONDS);
      if (method.equals("POST")) {
        // An empty body, in streaming mode: the JDK never re-sends a streamed request by itself.
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(0);
      }
      connection.connect();
      connected = true;
      if (method.equals("POST")) {
        connection.getOutputStream().close();
      }
      int status = connection.getResponseCode();
      String body = readBody(connection, status);
      String retryAfter = connection.getHeaderField("Retry-After");
      if (timedOut.get()) {
        throw new SocketTimeoutException("the exchange outlived its timeout");
      }
      return read(status, body, retryAfter, parse);
    } catch (CappedBody.TooLarge e) {
      throw ApiException.transport(Code.UNKNOWN, what + ": " + e.getMessage(), e);
    } catch (IOException e) {
      if (!connected && e instanceof SocketTimeoutException) {
        throw ApiException.transport(Code.UNAVAILABLE, what + ": connect timed out", e);
      }
      if (timedOut.get() || e instanceof SocketTimeoutException) {
        throw ApiException.transport(Code.DEADLINE_EXCEEDED, what + ": no answer in " + timeout, e);
      }
      if (e instanceof ConnectException) {
        throw ApiException.transport(Code.UNAVAILABLE, what + ": connection refused", e);
      }
      throw ApiException.transport(
          Code.UNAVAILABLE, what + ": connection failed (" + e.getClass().getSimpleName() + ")", e);
    } finally {
      if (watch != null) {
        watch.cancel(false);
      }
    }
  }

  /**
   * The response body, read to its end (so the connection goes back to the keep-alive pool) and at
   * most {@link #maxResponseBytes}; past the cap the connection is closed and the body refused.
   */
  private String readBody(HttpURLConnection connection, int status) throws IOException {
    InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
    if (in == null) {
      return "";
    }
    try (in) {
      return CappedBody.read(in, connection.getContentLengthLong(), maxResponseBytes);
    } catch (CappedBody.TooLarge e) {
      connection.disconnect();
      throw e;
    }
  }

  private <T> T read(int status, String body, String retryAfterHeader, Function<String, T> parse) {
    if (status >= 200 && status < 300) {
      try {
        return parse.apply(body);
      } catch (RuntimeException e) {
        throw new ApiException(
            new RpcStatus(
                Code.UNKNOWN, "HTTP " + status + " with a body that is not the expected JSON"),
            status,
            null,
            1,
            e);
      }
    }
    Duration retryAfter = retryAfterHeader == null ? null : parseRetryAfter(retryAfterHeader);
    RpcStatus rpc =
        status >= 300 && status < 400
            ? new RpcStatus(
                Code.UNKNOWN, "HTTP " + status + " redirect; redirects are not followed")
            : RpcStatus.fromHttp(status, body);
    return throwing(new ApiException(rpc, status, retryAfter, 1, null));
  }

  private static <T> T throwing(ApiException e) {
    throw e;
  }

  /** {@code Retry-After} as delay-seconds or an HTTP-date; null when it is neither. */
  Duration parseRetryAfter(String value) {
    String v = value.trim();
    if (v.matches("[0-9]{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(clock.instant(), at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static JsonObject parseObject(String body) {
    JsonElement root = JsonParser.parseString(body == null ? "" : body);
    if (!root.isJsonObject()) {
      throw new IllegalStateException("not a JSON object");
    }
    return root.getAsJsonObject();
  }

  /**
   * Reads the 2xx body of {@code :cancel}: empty or a JSON object (an Operation or {@code {}}).
   *
   * @throws RuntimeException when it is neither (the caller reports UNKNOWN)
   */
  public static Void parseCancelAnswer(String body) {
    if (body != null && !body.isBlank()) {
      parseObject(body);
    }
    return null;
  }

  /**
   * Reads the 2xx body of {@code GET {name}}: one Operation object.
   *
   * @throws RuntimeException when it is not one (the caller reports UNKNOWN)
   */
  public static Operation parseOperation(String body) {
    return Operation.fromJson(parseObject(body));
  }

  /**
   * Reads the 2xx body of {@code operations.list}: {@code operations} and {@code nextPageToken}.
   *
   * @throws RuntimeException when it is not a page (the caller reports UNKNOWN)
   */
  public static OperationPage parsePage(String body) {
    JsonObject root = parseObject(body);
    List<Operation> operations = new ArrayList<>();
    JsonElement list = root.get("operations");
    if (list != null && !list.isJsonNull()) {
      for (JsonElement e : list.getAsJsonArray()) {
        operations.add(Operation.fromJson(e.getAsJsonObject()));
      }
    }
    JsonElement token = root.get("nextPageToken");
    return new OperationPage(
        operations, token == null || token.isJsonNull() ? null : token.getAsString());
  }

  /** Percent-encodes everything but RFC 3986 unreserved characters. */
  static String encode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return out.toString();
  }

  private static boolean safeHeaderValue(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return !v.isEmpty();
  }

  @Override
  public String toString() {
    return "HttpOperationsApi[" + endpoint + "/" + apiVersion + "]";
  }
}
