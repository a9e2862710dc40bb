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
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
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
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * {@link OperationsTransport} over Data Fusion's REST API: exactly one HTTP exchange per call, on
 * the JDK's {@link HttpClient}.
 *
 * <p>Why the JDK client: it adds no dependency to the function's deployment, speaks HTTP/1.1 and
 * HTTP/2, has connect and per-request timeouts, and can be told never to follow redirects ({@link
 * HttpClient.Redirect#NEVER}) so a request, and its token, can never be sent to a host other than
 * the configured endpoint. google-http-client would add a transport abstraction and its own retry
 * handling that we would have to switch off, and little else: the three calls here are plain JSON.
 *
 * <p>URLs are built only from validated {@link OperationName}, {@link LocationName} and {@link
 * ProjectName} values, so nothing from a caller reaches a URL unchecked: {@code POST
 * {endpoint}/{version}/{name}:cancel} with an empty body, {@code GET {endpoint}/{version}/{name}},
 * {@code GET {endpoint}/{version}/{parent}/operations?pageSize=N&pageToken=T} and {@code GET
 * {endpoint}/{version}/projects/P/locations?pageSize=N&pageToken=T}.
 *
 * <p>Errors: a non-2xx answer becomes an {@link ApiException} classified by {@link
 * RpcStatus#fromHttp} (the body's {@code error.status} first, the HTTP status as fallback); a 3xx
 * is never followed and is UNKNOWN; a 2xx whose body cannot be read is UNKNOWN; a reset or refused
 * connection is UNAVAILABLE, a timeout DEADLINE_EXCEEDED, and a body over {@link
 * #MAX_RESPONSE_BYTES} UNKNOWN with a message naming the cap. Retries, permits and the re-send
 * after a 401 ({@link #refreshCredentials}) belong to {@link RetryingOperationsApi}. A failure of
 * the token source is UNAVAILABLE, so it is retried like any transient failure.
 *
 * <p>Over plain {@code http://} (loopback emulators) no {@code Authorization} header is ever sent,
 * whatever the {@link AccessTokens} would give. Thread-safe: one {@link HttpClient} (and its
 * connection pool) is shared by every thread that uses the instance.
 */
public final class HttpOperationsApi implements OperationsTransport {
  private static final String USER_AGENT = "fusion-cancel/0.1 (Java-http-client)";

  /**
   * Response bodies larger than this are refused unread (a page of 1000 operations is about 1 MB):
   * an upstream, or anything posing as one, cannot make the function hold an unbounded body.
   */
  public static final int MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

  private final URI endpoint;
  private final String apiVersion;
  private final AccessTokens tokens;
  private final Clock clock;
  private final int maxResponseBytes;

  /**
   * Built on a background thread from the constructor on: creating a JDK HttpClient initialises TLS
   * (about 100 ms here), which then overlaps with the rest of a cold start.
   */
  private final java.util.concurrent.CompletableFuture<HttpClient> http =
      new java.util.concurrent.CompletableFuture<>();

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
    HttpClient.Builder builder = HttpClient.newBuilder();
    if (sslContext != null) {
      builder.sslContext(sslContext);
    }
    builder
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(settings.connectTimeout())
        // HTTP/2 over TLS (negotiated by ALPN, falling back to 1.1); plain HTTP stays 1.1 so
        // that emulators never see an h2c upgrade.
        .version(plainHttp() ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2);
    Thread builderThread =
        new Thread(
            () -> {
              try {
                http.complete(builder.build());
              } catch (RuntimeException | Error e) {
                http.completeExceptionally(e);
              }
            },
            "fusion-cancel-http-client-init");
    builderThread.setDaemon(true);
    builderThread.start();
  }

  /**
   * Sends one request through the shared HttpClient to a throwaway server on a loopback port of
   * this process, so the client's request path is loaded before the first real call. Nothing leaves
   * the machine and no credential is involved. Returns whether the exchange worked.
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
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + server.getLocalPort() + "/warm-up"))
              .version(HttpClient.Version.HTTP_1_1)
              .timeout(java.time.Duration.ofSeconds(2))
              .header("User-Agent", USER_AGENT)
              .GET()
              .build();
      HttpResponse<String> r =
          httpClient().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return r.statusCode() == 200
          && com.google.gson.JsonParser.parseString(r.body()).isJsonObject();
    } catch (IOException | RuntimeException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The shared HttpClient, waiting for its background construction if need be. */
  private HttpClient httpClient() {
    try {
      return http.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw new IllegalStateException("could not create the HTTP client", e.getCause());
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
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/json")
            .header("User-Agent", USER_AGENT)
            .method(
                method,
                method.equals("POST")
                    ? HttpRequest.BodyPublishers.ofByteArray(new byte[0])
                    : HttpRequest.BodyPublishers.noBody());
    Optional<String> authorization;
    try {
      authorization = authorization();
    } catch (IOException | RuntimeException e) {
      throw ApiException.transport(
          Code.UNAVAILABLE,
          "could not get an access token (" + e.getClass().getSimpleName() + ")",
          e);
    }
    authorization.ifPresent(value -> request.header("Authorization", value));
    java.util.concurrent.CompletableFuture<HttpResponse<String>> pending =
        httpClient().sendAsync(request.build(), info -> CappedBody.subscriber(maxResponseBytes));
    HttpResponse<String> response;
    try {
      // The request timeout covers the headers only; this bounds the body as well.
      response = pending.get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      pending.cancel(true);
      throw ApiException.transport(
          Code.DEADLINE_EXCEEDED, method + " " + uri.getPath() + ": no answer in " + timeout, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw transportFailure(method, uri, timeout, e.getCause());
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw ApiException.transport(
          Code.CANCELLED, method + " " + uri.getPath() + ": interrupted", e);
    }
    return read(response.statusCode(), response.body(), response.headers(), parse);
  }

  private static ApiException transportFailure(
      String method, URI uri, Duration timeout, Throwable e) {
    String what = method + " " + uri.getPath();
    if (e instanceof CappedBody.TooLarge) {
      return ApiException.transport(Code.UNKNOWN, what + ": " + e.getMessage(), e);
    }
    if (e instanceof HttpConnectTimeoutException) {
      return ApiException.transport(Code.UNAVAILABLE, what + ": connect timed out", e);
    }
    if (e instanceof HttpTimeoutException) {
      return ApiException.transport(Code.DEADLINE_EXCEEDED, what + ": no answer in " + timeout, e);
    }
    if (e instanceof ConnectException) {
      return ApiException.transport(Code.UNAVAILABLE, what + ": connection refused", e);
    }
    return ApiException.transport(
        Code.UNAVAILABLE,
        what + ": connection failed (" + (e == null ? "?" : e.getClass().getSimpleName()) + ")",
        e);
  }

  private <T> T read(
      int status, String body, java.net.http.HttpHeaders headers, Function<String, T> parse) {
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
    Duration retryAfter = headers.firstValue("Retry-After").map(this::parseRetryAfter).orElse(null);
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
