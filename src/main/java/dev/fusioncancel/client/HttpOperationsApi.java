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
import dev.fusioncancel.time.Sleeper;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * {@link OperationsApi} over Data Fusion's REST API, on the JDK's {@link HttpClient}.
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
 * connection is UNAVAILABLE and a timeout DEADLINE_EXCEEDED. {@link Retrier} decides what is tried
 * again. A 401 makes the client refresh its token once and resend at once; a second 401 is final
 * (UNAUTHENTICATED). A failure of the token source is UNAVAILABLE, so it is retried like any
 * transient failure.
 *
 * <p>Over plain {@code http://} (loopback emulators) no {@code Authorization} header is ever sent,
 * whatever the {@link AccessTokens} would give. Thread-safe: one {@link HttpClient} (and its
 * connection pool) is shared by every thread that uses the instance.
 */
public final class HttpOperationsApi implements OperationsApi {
  private static final String USER_AGENT = "fusion-cancel/0.1 (Java-http-client)";

  private final URI endpoint;
  private final String apiVersion;
  private final AccessTokens tokens;
  private final RetrySettings settings;
  private final Retrier retrier;
  private final Clock clock;

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
   * @param jitter values in {@code [0, 1]} for the backoff's full jitter
   */
  public HttpOperationsApi(
      URI endpoint,
      String apiVersion,
      AccessTokens tokens,
      RetrySettings settings,
      Clock clock,
      Sleeper sleeper,
      DoubleSupplier jitter) {
    this(endpoint, apiVersion, tokens, settings, clock, sleeper, jitter, null);
  }

  /** As the public constructor, with the TLS context to use (null for the JDK default); tests. */
  HttpOperationsApi(
      URI endpoint,
      String apiVersion,
      AccessTokens tokens,
      RetrySettings settings,
      Clock clock,
      Sleeper sleeper,
      DoubleSupplier jitter,
      SSLContext sslContext) {
    this.endpoint = Endpoint.parse(endpoint.toString());
    if (!"v1".equals(apiVersion) && !"v1beta1".equals(apiVersion)) {
      throw new IllegalArgumentException("apiVersion must be v1 or v1beta1, got " + apiVersion);
    }
    this.apiVersion = apiVersion;
    this.tokens = tokens;
    this.settings = settings;
    this.clock = clock;
    this.retrier = new Retrier(settings, ExponentialBackoff.of(settings, jitter), clock, sleeper);
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
   * The production client: the configured endpoint and version, Application Default Credentials
   * (none for a plain-HTTP emulator), {@link RetrySettings#DEFAULT}, the system clock; token values
   * are redacted from the HTTP libraries' debug logs ({@link SecretRedaction}).
   */
  public static HttpOperationsApi fromConfig(Config config) {
    SecretRedaction.install();
    return new HttpOperationsApi(
        config.endpoint(),
        config.apiVersion(),
        config.plainHttp() ? AccessTokens.none() : new GoogleAccessTokens(),
        RetrySettings.DEFAULT,
        Clock.systemUTC(),
        Sleeper.SYSTEM,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  @Override
  public void cancel(OperationName name) {
    URI uri = url(name + ":cancel");
    call("POST", uri, body -> parseObjectOrEmpty(body));
  }

  @Override
  public Operation get(OperationName name) {
    URI uri = url(name.toString());
    return call("GET", uri, body -> Operation.fromJson(parseObject(body)));
  }

  /**
   * {@inheritDoc}
   *
   * @param pageSize the page size asked for; 0 or less leaves it to the server
   * @param pageToken the previous page's {@code nextPageToken}, or null for the first page
   */
  @Override
  public OperationPage list(LocationName parent, int pageSize, String pageToken) {
    URI uri = url(paged(parent + "/operations", pageSize, pageToken));
    return call("GET", uri, HttpOperationsApi::parsePage);
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code GET {endpoint}/{version}/projects/P/locations?pageSize=N&pageToken=T}, read strictly
   * ({@link LocationPage#fromJson}): a body of another shape is UNKNOWN, never a guessed location.
   */
  @Override
  public LocationPage listLocations(ProjectName project, int pageSize, String pageToken) {
    URI uri = url(paged(project + "/locations", pageSize, pageToken));
    return call("GET", uri, body -> LocationPage.fromJson(project, parseObject(body)));
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

  private <T> T call(String method, URI uri, Function<String, T> parse) {
    boolean[] refreshed = {false};
    int[] resends = {0};
    try {
      return retrier.run(
          timeLeft -> {
            HttpResponse<String> response = send(method, uri, timeLeft);
            if (response.statusCode() == 401 && !refreshed[0]) {
              refreshed[0] = true;
              refreshTokens();
              resends[0]++;
              response = send(method, uri, timeLeft);
            }
            return read(response, parse);
          });
    } catch (ApiException e) {
      // The resend after a refresh is an attempt of its own, though the retrier saw one.
      throw resends[0] == 0 ? e : e.withAttempts(e.attempts() + resends[0]);
    }
  }

  private HttpResponse<String> send(String method, URI uri, Duration timeLeft) {
    Duration timeout =
        timeLeft.compareTo(settings.perCallTimeout()) < 0 ? timeLeft : settings.perCallTimeout();
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
    try {
      return httpClient()
          .send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw ApiException.transport(
          Code.UNAVAILABLE, method + " " + uri.getPath() + ": connect timed out", e);
    } catch (HttpTimeoutException e) {
      throw ApiException.transport(
          Code.DEADLINE_EXCEEDED, method + " " + uri.getPath() + ": no answer in " + timeout, e);
    } catch (ConnectException e) {
      throw ApiException.transport(
          Code.UNAVAILABLE, method + " " + uri.getPath() + ": connection refused", e);
    } catch (IOException e) {
      throw ApiException.transport(
          Code.UNAVAILABLE,
          method
              + " "
              + uri.getPath()
              + ": connection failed ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.transport(
          Code.CANCELLED, method + " " + uri.getPath() + ": interrupted", e);
    }
  }

  private void refreshTokens() {
    try {
      tokens.refresh();
    } catch (IOException | RuntimeException e) {
      throw ApiException.transport(
          Code.UNAVAILABLE,
          "could not refresh the access token (" + e.getClass().getSimpleName() + ")",
          e);
    }
  }

  private <T> T read(HttpResponse<String> response, Function<String, T> parse) {
    int status = response.statusCode();
    String body = response.body();
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
    Duration retryAfter =
        response.headers().firstValue("Retry-After").map(this::parseRetryAfter).orElse(null);
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

  private static Void parseObjectOrEmpty(String body) {
    if (body != null && !body.isBlank()) {
      parseObject(body);
    }
    return null;
  }

  private static OperationPage parsePage(String body) {
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
