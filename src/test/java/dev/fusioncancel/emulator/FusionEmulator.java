package dev.fusioncancel.emulator;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.rpc.RpcStatus;
import dev.fusioncancel.rpc.SystemParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A local HTTP server that answers like the Cloud Data Fusion {@code projects.locations.operations}
 * REST methods ({@code v1} and {@code v1beta1}): get, list, cancel and delete on seeded operations
 * with scripted behaviour, plus fault injection, a per-location quota and a request journal.
 *
 * <p>All time-based behaviour is computed from the injected {@link Clock} on each request, so a
 * {@link MutableClock} makes tests deterministic. Sleeps for injected latency are real.
 *
 * <p>TCP_NODELAY: the JDK server reads {@code sun.net.httpserver.nodelay} once, when its
 * configuration class loads. This class sets it in its static initializer; if something in the same
 * JVM started a {@code com.sun.net.httpserver.HttpServer} before this class was loaded, keep-alive
 * clients will stall about 40 ms per request (Nagle plus delayed ACK).
 */
public final class FusionEmulator implements AutoCloseable {

  static {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** Default page size of {@code operations.list} when the request names none. */
  public static final int DEFAULT_PAGE_SIZE = 100;

  /** Largest page size {@code operations.list} answers; larger requests are clamped. */
  public static final int MAX_PAGE_SIZE = 1000;

  /** Default requests per minute per location, Data Fusion's control-plane quota. */
  public static final int DEFAULT_QUOTA_PER_MINUTE = 600;

  private static final Set<String> VERSIONS = Set.of("v1", "v1beta1");
  private static final Set<String> LIST_PARAMS = Set.of("pageSize", "pageToken", "filter");
  private static final Set<String> LOCATION_LIST_PARAMS =
      Set.of("pageSize", "pageToken", "filter", "extraLocationTypes", "includeUnrevealedLocations");
  private static final int MAX_BODY = 1 << 20;
  private static final Gson PRETTY =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
  private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().create();

  private final HttpServer server;
  private final ExecutorService executor;
  private final Clock clock;
  private final Quota quota;
  private final NavigableMap<String, StoredOperation> operations = new ConcurrentSkipListMap<>();
  private final Journal journal = new Journal();
  private final Faults faults = new Faults();
  private final Counters counters = new Counters();
  private final Locations locations = new Locations();
  private final String endpoint;

  private FusionEmulator(Builder b) throws IOException {
    this.clock = b.clock;
    this.quota = new Quota(b.quotaPerMinute);
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    this.server = HttpServer.create(new InetSocketAddress(loopback, b.port), b.backlog);
    AtomicInteger threadNumber = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            b.threads,
            r -> {
              Thread t = new Thread(r, "fusion-emulator-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    this.endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A builder; {@link Builder#build()} starts the server. */
  public static Builder builder() {
    return new Builder();
  }

  /** Settings for a {@link FusionEmulator}. */
  public static final class Builder {
    private int port;
    private Clock clock = Clock.systemUTC();
    private int quotaPerMinute = DEFAULT_QUOTA_PER_MINUTE;
    private int threads = 64;
    private int backlog = 1024;

    private Builder() {}

    /** The TCP port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** The clock all operation timing and the quota are computed from (default system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Requests per minute per location before 429; 0 turns the quota off (default 600). */
    public Builder quotaPerMinute(int quotaPerMinute) {
      if (quotaPerMinute < 0) {
        throw new IllegalArgumentException("quota must not be negative");
      }
      this.quotaPerMinute = quotaPerMinute;
      return this;
    }

    /** Worker threads answering requests concurrently (default 64). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be positive");
      }
      this.threads = threads;
      return this;
    }

    /** Starts the emulator. */
    public FusionEmulator build() {
      try {
        return new FusionEmulator(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the Data Fusion emulator", e);
      }
    }

    /** Same as {@link #build()}. */
    public FusionEmulator start() {
      return build();
    }
  }

  // ---------------------------------------------------------------- public API

  /** The base URL, {@code http://127.0.0.1:PORT}, to use as {@code DATAFUSION_ENDPOINT}. */
  public String endpoint() {
    return endpoint;
  }

  /** The TCP port the emulator listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The clock operation timing and the quota are computed from. */
  public Clock clock() {
    return clock;
  }

  /** Seeds (or replaces) an operation with default verb, target and create time. */
  public SeededOperation seed(String name, Behaviour behaviour) {
    return seed(Seed.of(name, behaviour));
  }

  /** Seeds (or replaces) an operation. */
  public SeededOperation seed(Seed seed) {
    Objects.requireNonNull(seed, "seed");
    SeededOperation op =
        new SeededOperation(
            seed.name(),
            seed.behaviour(),
            seed.verb() == null ? "update" : seed.verb(),
            seed.target() == null ? seed.parent() + "/instances/inst-1" : seed.target(),
            seed.createTime() == null ? clock.instant() : seed.createTime());
    operations.put(op.name(), new StoredOperation(op));
    locations.seen(seed.parent());
    return op;
  }

  /**
   * Seeds {@code count} operations {@code parent/operations/op-00001...} with one behaviour; create
   * times lie one minute apart in the past, {@code op-00001} the oldest.
   */
  public List<SeededOperation> seedMany(String parent, int count, Behaviour behaviour) {
    Objects.requireNonNull(behaviour, "behaviour");
    return seedMany(parent, count, Duration.ofMinutes(1), i -> behaviour);
  }

  /**
   * Seeds {@code count} operations {@code parent/operations/op-00001...}; operation {@code i}
   * (1-based) gets {@code behaviours.apply(i)} and create time {@code now - (count - i + 1) *
   * spacing}.
   */
  public List<SeededOperation> seedMany(
      String parent, int count, Duration spacing, IntFunction<Behaviour> behaviours) {
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(spacing, "spacing");
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    Instant now = clock.instant();
    List<SeededOperation> seeded = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      String name = String.format(Locale.ROOT, "%s/operations/op-%05d", parent, i);
      Instant created = now.minus(spacing.multipliedBy(count - i + 1L));
      seeded.add(seed(Seed.of(name, behaviours.apply(i)).createTime(created)));
    }
    return seeded;
  }

  /** The operation's JSON as {@code v1} GET would answer it now, if it exists. */
  public Optional<JsonObject> operation(String name) {
    return operation(name, "v1");
  }

  /** The operation's JSON as GET in API {@code version} would answer it now, if it exists. */
  public Optional<JsonObject> operation(String name, String version) {
    StoredOperation op = operations.get(name);
    return op == null ? Optional.empty() : Optional.of(op.toJson(clock.instant(), version));
  }

  /** The seeded operation with this name, if it exists (not deleted). */
  public Optional<SeededOperation> seeded(String name) {
    StoredOperation op = operations.get(name);
    return op == null ? Optional.empty() : Optional.of(op.seed);
  }

  /** When a cancel of this operation was accepted, if one was. */
  public Optional<Instant> cancelRequestedAt(String name) {
    StoredOperation op = operations.get(name);
    return op == null ? Optional.empty() : Optional.ofNullable(op.cancelAt());
  }

  /** Removes an operation; answers whether it existed. */
  public boolean remove(String name) {
    return operations.remove(name) != null;
  }

  /** How many operations are stored. */
  public int operationCount() {
    return operations.size();
  }

  /** Every request answered, in order. */
  public Journal journal() {
    return journal;
  }

  /**
   * The {@code projects.locations} collection: every location an operation was seeded in, plus any
   * added explicitly.
   */
  public Locations locations() {
    return locations;
  }

  /** Fault injection, global and per operation. */
  public Faults faults() {
    return faults;
  }

  /** Running totals of requests, quota rejections and faults. */
  public Counters counters() {
    return counters;
  }

  /** The current per-location quota (requests per minute; 0 = off). */
  public int quotaPerMinute() {
    return quota.perMinute();
  }

  /** Changes the per-location quota (requests per minute; 0 = off). */
  public void quotaPerMinute(int perMinute) {
    quota.setPerMinute(perMinute);
  }

  /**
   * Counts {@code n} requests, spread evenly over the last {@code over}, against the quota of
   * {@code parent} ({@code projects/P/locations/L}), without journaling them: the window as a
   * neighbour that has been running at a steady rate for a while left it.
   */
  public void spendQuota(String parent, int n, Duration over) {
    Instant now = clock.instant();
    for (int i = n; i >= 1; i--) {
      quota.spent(parent, now.minus(over.multipliedBy(i).dividedBy(n + 1)));
    }
  }

  /** Forgets all operations, journal entries, faults, quota usage and counters. */
  public void reset() {
    operations.clear();
    journal.clear();
    faults.clearAll();
    quota.clear();
    counters.reset();
    locations.clear();
  }

  /** Stops the server at once and releases its threads. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- HTTP

  /** One answer; {@code reset} means close the connection without answering. */
  private record Reply(int status, JsonElement body, Map<String, String> headers, boolean reset) {
    static Reply json(int status, JsonElement body) {
      return new Reply(status, body, Map.of(), false);
    }

    static Reply error(Code code, String message) {
      return json(code.httpStatus(), new RpcStatus(code, message).toJson());
    }

    static Reply error(Code code, String message, Map<String, String> headers) {
      return new Reply(code.httpStatus(), new RpcStatus(code, message).toJson(), headers, false);
    }

    static Reply empty() {
      return json(200, new JsonObject());
    }
  }

  /** What the path addresses. */
  private enum Target {
    OPERATION,
    CANCEL,
    COLLECTION,
    /** {@code projects/P/locations}: parent {@code projects/P}, name the collection's path. */
    LOCATIONS,
    /** {@code projects/P/locations/L}: parent {@code projects/P}, name the location. */
    LOCATION
  }

  private record Route(String version, String parent, String name, Target target) {}

  private void handle(HttpExchange ex) {
    try {
      String rawPath = ex.getRequestURI().getRawPath();
      if (rawPath.equals("/emulator") || rawPath.startsWith("/emulator/")) {
        send(ex, admin(ex, rawPath), pretty(ex.getRequestURI().getRawQuery()));
      } else {
        api(ex, rawPath);
      }
    } catch (RuntimeException | IOException e) {
      try {
        send(ex, Reply.error(Code.INTERNAL, "emulator error: " + e), true);
      } catch (IOException | RuntimeException ignored) {
        // The client is gone or the headers were already sent; nothing more to say.
      }
    } finally {
      ex.close();
    }
  }

  private void api(HttpExchange ex, String rawPath) throws IOException {
    Instant now = clock.instant();
    counters.requests.increment();
    String method = ex.getRequestMethod();
    String rawQuery = ex.getRequestURI().getRawQuery();
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    Route route = parseRoute(rawPath);
    FaultPlan opFaults = route == null ? null : faults.existingFor(route.name());

    Duration latency = faults.currentLatency();
    if (opFaults != null) {
      latency = latency.plus(opFaults.currentLatency());
    }
    sleep(latency);

    Reply reply = precheck(route, opFaults, auth, now);
    if (reply == null) {
      reply = dispatch(ex, method, route, rawQuery, now);
    }
    journal.add(
        new Journal.Entry(
            method,
            rawPath,
            redact(rawQuery),
            auth != null,
            reply.reset() ? 0 : reply.status(),
            now));
    if (reply.reset()) {
      counters.connectionResets.increment();
      // Closing before any response bytes makes the client see the connection drop (IOException).
      return;
    }
    send(ex, reply, pretty(rawQuery));
  }

  /** Auth, quota and injected faults, in the order a real front end applies them. */
  private Reply precheck(Route route, FaultPlan opFaults, String auth, Instant now) {
    switch (faults.authMode()) {
      case REJECT_ALL:
        counters.unauthenticated.increment();
        return unauthenticated();
      case REQUIRE_BEARER:
        if (auth == null
            || !auth.regionMatches(true, 0, "Bearer ", 0, 7)
            || auth.substring(7).isBlank()) {
          counters.unauthenticated.increment();
          return unauthenticated();
        }
        break;
      default:
        break;
    }
    if (route != null) {
      Duration wait = quota.acquire(route.parent(), now);
      if (wait != null) {
        counters.quotaRejections.increment();
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return Reply.error(
            Code.RESOURCE_EXHAUSTED,
            "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user per"
                + " region' of service 'datafusion.googleapis.com' for location "
                + route.parent()
                + ".",
            Map.of("Retry-After", Long.toString(seconds)));
      }
    }
    FaultPlan.Action fault = opFaults == null ? null : opFaults.next();
    if (fault == null) {
      fault = faults.next();
    }
    if (fault == null) {
      return null;
    }
    counters.injectedFaults.increment();
    return switch (fault.type()) {
      case RESET -> new Reply(0, null, Map.of(), true);
      case REDIRECT -> new Reply(302, null, Map.of("Location", fault.location()), false);
      case THROTTLE ->
          Reply.error(
              Code.RESOURCE_EXHAUSTED,
              "Resource has been exhausted (e.g. check quota).",
              Map.of(
                  "Retry-After",
                  Long.toString(Math.max(0, (fault.retryAfter().toMillis() + 999) / 1000))));
      case FAIL -> Reply.error(fault.code(), messageFor(fault.code()));
    };
  }

  private Reply dispatch(HttpExchange ex, String method, Route route, String rawQuery, Instant now)
      throws IOException {
    if (route == null) {
      return Reply.error(
          Code.NOT_FOUND,
          "The requested URL " + ex.getRequestURI().getRawPath() + " was not found.");
    }
    List<String> allowed =
        switch (route.target()) {
          case OPERATION -> List.of("GET", "DELETE");
          case CANCEL -> List.of("POST");
          case COLLECTION, LOCATIONS, LOCATION -> List.of("GET");
        };
    if (!allowed.contains(method)) {
      JsonObject body =
          new RpcStatus(Code.UNIMPLEMENTED, "Method " + method + " not allowed.").toJson();
      body.getAsJsonObject("error").addProperty("code", 405);
      return new Reply(405, body, Map.of("Allow", String.join(", ", allowed)), false);
    }
    Map<String, String> query;
    try {
      query = SystemParameters.parse(rawQuery).others();
    } catch (IllegalArgumentException e) {
      return Reply.error(Code.INVALID_ARGUMENT, "Invalid query string: " + e.getMessage());
    }
    for (String param : query.keySet()) {
      boolean ok =
          (route.target() == Target.COLLECTION && LIST_PARAMS.contains(param))
              || (route.target() == Target.LOCATIONS && LOCATION_LIST_PARAMS.contains(param));
      if (!ok) {
        return Reply.error(
            Code.INVALID_ARGUMENT,
            "Invalid JSON payload received. Unknown name \""
                + param
                + "\": Cannot bind query parameter. Field '"
                + param
                + "' could not be found in request message.");
      }
    }
    return switch (route.target()) {
      case LOCATIONS, LOCATION -> locationsReply(route, query);
      case COLLECTION -> list(route, query, now);
      case OPERATION -> method.equals("GET") ? get(route, now) : delete(route);
      case CANCEL -> cancel(ex, route, now);
    };
  }

  private Reply get(Route route, Instant now) {
    StoredOperation op = operations.get(route.name());
    Reply refused = refuse(route, op, "get");
    return refused != null ? refused : Reply.json(200, op.toJson(now, route.version()));
  }

  private Reply delete(Route route) {
    StoredOperation op = operations.get(route.name());
    Reply refused = refuse(route, op, "delete");
    if (refused != null) {
      return refused;
    }
    operations.remove(route.name(), op);
    return Reply.empty();
  }

  private Reply cancel(HttpExchange ex, Route route, Instant now) throws IOException {
    byte[] raw;
    try (InputStream in = ex.getRequestBody()) {
      raw = in.readNBytes(MAX_BODY);
    }
    String body = new String(raw, StandardCharsets.UTF_8);
    if (!body.isBlank()) {
      JsonElement parsed;
      try {
        parsed = JsonParser.parseString(body);
      } catch (JsonParseException e) {
        return Reply.error(Code.INVALID_ARGUMENT, "Invalid JSON payload received.");
      }
      if (!parsed.isJsonObject()) {
        return Reply.error(
            Code.INVALID_ARGUMENT,
            "Invalid JSON payload received. Expected an object for CancelOperationRequest.");
      }
      Set<String> fields = parsed.getAsJsonObject().keySet();
      if (!fields.isEmpty()) {
        return Reply.error(
            Code.INVALID_ARGUMENT,
            "Invalid JSON payload received. Unknown name \""
                + fields.iterator().next()
                + "\": Cannot find field.");
      }
    }
    StoredOperation op = operations.get(route.name());
    Reply refused = refuse(route, op, "cancel");
    if (refused != null) {
      return refused;
    }
    Code refusal = op.cancel(now);
    if (refusal == null) {
      counters.cancelsAccepted.increment();
      return Reply.empty();
    }
    return Reply.error(
        refusal,
        refusal == Code.UNIMPLEMENTED
            ? "Operation " + route.name() + " does not support cancellation."
            : "Operation " + route.name() + " cannot be cancelled in its current state.");
  }

  private Reply list(Route route, Map<String, String> query, Instant now) {
    if (route.parent().endsWith("/locations/-")) {
      // AIP-159's wildcard is not documented for Data Fusion's operations.list; services that do
      // not support it answer UNIMPLEMENTED, so an accidental call is loud here too.
      return Reply.error(
          Code.UNIMPLEMENTED,
          "Listing operations across all locations ('-') is not supported; name a location.");
    }
    int pageSize;
    try {
      pageSize = pageSize(query.get("pageSize"));
    } catch (Refusal r) {
      return Reply.error(r.code, r.getMessage());
    }
    String prefix = route.parent() + "/operations/";
    String after = null;
    String token = query.get("pageToken");
    if (token != null && !token.isEmpty()) {
      after = decodeToken(token, prefix);
      if (after == null) {
        return Reply.error(Code.INVALID_ARGUMENT, "Invalid page token.");
      }
    }
    NavigableMap<String, StoredOperation> range =
        operations.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
    if (after != null) {
      range = range.tailMap(after, false);
    }
    JsonArray page = new JsonArray();
    String last = null;
    boolean more = false;
    for (StoredOperation op : range.values()) {
      if (op.seed.behaviour().kind() == Behaviour.Kind.PERMISSION_DENIED) {
        continue;
      }
      if (page.size() == pageSize) {
        more = true;
        break;
      }
      page.add(op.toJson(now, route.version()));
      last = op.seed.name();
    }
    JsonObject body = new JsonObject();
    if (page.size() > 0) {
      body.add("operations", page);
    }
    if (more) {
      body.addProperty("nextPageToken", encodeToken(last));
    }
    return Reply.json(200, body);
  }

  /** {@code projects.locations.list} and {@code projects.locations.get}; see {@link Locations}. */
  private Reply locationsReply(Route route, Map<String, String> query) {
    try {
      if (route.target() == Target.LOCATION) {
        return Reply.json(200, locations.get(route.name()));
      }
      String filter = query.get("filter");
      if (filter != null && !filter.isEmpty()) {
        return Reply.error(
            Code.INVALID_ARGUMENT,
            "The emulator does not filter locations (filter=" + filter + ")");
      }
      int pageSize = pageSize(query.get("pageSize"));
      String project = route.parent().substring("projects/".length());
      String after = null;
      String token = query.get("pageToken");
      if (token != null && !token.isEmpty()) {
        after = decodeToken(token, route.name() + "/");
        if (after == null || !Locations.inCollection(project, after)) {
          return Reply.error(Code.INVALID_ARGUMENT, "Invalid page token.");
        }
      }
      return Reply.json(200, locations.list(project, pageSize, after));
    } catch (Refusal r) {
      return Reply.error(r.code, r.getMessage());
    }
  }

  /** {@code pageSize}: absent or 0 means the default; larger than the maximum is clamped. */
  static int pageSize(String size) {
    if (size == null || size.isEmpty()) {
      return DEFAULT_PAGE_SIZE;
    }
    int n;
    try {
      n = Integer.parseInt(size);
    } catch (NumberFormatException e) {
      throw new Refusal(
          Code.INVALID_ARGUMENT, "Invalid value at 'page_size' (TYPE_INT32), \"" + size + "\"");
    }
    if (n < 0) {
      throw new Refusal(Code.INVALID_ARGUMENT, "page_size must not be negative.");
    }
    return n == 0 ? DEFAULT_PAGE_SIZE : Math.min(n, MAX_PAGE_SIZE);
  }

  /**
   * 404 for a missing operation, 403 naming the permission {@code datafusion.operations.<verb>} for
   * a permission-denied one, else null.
   */
  private static Reply refuse(Route route, StoredOperation op, String verb) {
    if (op == null) {
      return Reply.error(Code.NOT_FOUND, "Operation " + route.name() + " not found.");
    }
    if (op.seed.behaviour().kind() == Behaviour.Kind.PERMISSION_DENIED) {
      return Reply.error(
          Code.PERMISSION_DENIED,
          "Permission 'datafusion.operations."
              + verb
              + "' denied on resource '"
              + route.name()
              + "'.");
    }
    return null;
  }

  private static Reply unauthenticated() {
    return Reply.error(
        Code.UNAUTHENTICATED,
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login"
            + " cookie or other valid authentication credential.",
        Map.of("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\""));
  }

  private static String messageFor(Code code) {
    return switch (code) {
      case UNAVAILABLE -> "The service is currently unavailable.";
      case INTERNAL -> "Internal error encountered.";
      case DEADLINE_EXCEEDED -> "The request timed out.";
      default -> "Injected fault: " + code.name();
    };
  }

  /**
   * Parses {@code /{v}/projects/{p}/locations/{l}/operations[/{id}[:cancel]]}, {@code
   * /{v}/projects/{p}/locations} and {@code /{v}/projects/{p}/locations/{l}}, or null.
   */
  static Route parseRoute(String rawPath) {
    String[] s = rawPath.split("/", -1);
    if (s.length == 5 || s.length == 6) {
      return locationRoute(s);
    }
    if (s.length < 7 || s.length > 8 || !s[0].isEmpty()) {
      return null;
    }
    if (!VERSIONS.contains(s[1])
        || !s[2].equals("projects")
        || s[3].isEmpty()
        || !s[4].equals("locations")
        || s[5].isEmpty()
        || !s[6].equals("operations")) {
      return null;
    }
    String parent = "projects/" + s[3] + "/locations/" + s[5];
    if (s.length == 7) {
      return new Route(s[1], parent, null, Target.COLLECTION);
    }
    String id = s[7];
    Target target = Target.OPERATION;
    int colon = id.indexOf(':');
    if (colon >= 0) {
      if (!id.substring(colon).equals(":cancel")) {
        return null;
      }
      id = id.substring(0, colon);
      target = Target.CANCEL;
    }
    if (id.isEmpty()) {
      return null;
    }
    return new Route(s[1], parent, parent + "/operations/" + id, target);
  }

  /** The routes of {@code projects.locations}: quota and faults keyed by the project. */
  private static Route locationRoute(String[] s) {
    if (!s[0].isEmpty()
        || !VERSIONS.contains(s[1])
        || !s[2].equals("projects")
        || s[3].isEmpty()
        || !s[4].equals("locations")) {
      return null;
    }
    String project = "projects/" + s[3];
    if (s.length == 5) {
      return new Route(s[1], project, project + "/locations", Target.LOCATIONS);
    }
    if (s[5].isEmpty() || s[5].indexOf(':') >= 0) {
      return null;
    }
    return new Route(s[1], project, project + "/locations/" + s[5], Target.LOCATION);
  }

  /**
   * The raw query with credential-bearing parameter values replaced, so the journal never holds a
   * token.
   */
  private static String redact(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return rawQuery;
    }
    StringBuilder out = new StringBuilder();
    for (String pair : rawQuery.split("&", -1)) {
      if (out.length() > 0) {
        out.append('&');
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (eq >= 0 && secret(key)) {
        out.append(key).append("=REDACTED");
      } else {
        out.append(pair);
      }
    }
    return out.toString();
  }

  private static boolean secret(String rawName) {
    try {
      return SystemParameters.isSecret(URLDecoder.decode(rawName, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return false; // refused before anything is answered
    }
  }

  private static boolean pretty(String rawQuery) {
    try {
      return SystemParameters.parse(rawQuery).prettyPrint();
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  static String encodeToken(String lastName) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("after:" + lastName).getBytes(StandardCharsets.UTF_8));
  }

  static String decodeToken(String token, String prefix) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (!decoded.startsWith("after:" + prefix)) {
        return null;
      }
      return decoded.substring("after:".length());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void sleep(Duration latency) {
    if (latency.isZero()) {
      return;
    }
    try {
      Thread.sleep(latency.toMillis(), latency.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpExchange ex, Reply reply, boolean pretty) throws IOException {
    reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    byte[] body =
        reply.body() == null
            ? new byte[0]
            : ((pretty ? PRETTY : COMPACT).toJson(reply.body()) + (pretty ? "\n" : ""))
                .getBytes(StandardCharsets.UTF_8);
    if (reply.body() != null) {
      ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    }
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(reply.status(), body.length == 0 || head ? -1 : body.length);
    if (body.length > 0 && !head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  // ---------------------------------------------------------------- admin

  private Reply admin(HttpExchange ex, String rawPath) throws IOException {
    String method = ex.getRequestMethod();
    String what = rawPath.substring("/emulator".length());
    JsonObject body = null;
    if (method.equals("POST")) {
      byte[] raw;
      try (InputStream in = ex.getRequestBody()) {
        raw = in.readNBytes(MAX_BODY);
      }
      String text = new String(raw, StandardCharsets.UTF_8);
      try {
        JsonElement parsed = text.isBlank() ? new JsonObject() : JsonParser.parseString(text);
        if (!parsed.isJsonObject()) {
          return Reply.error(Code.INVALID_ARGUMENT, "body must be a JSON object");
        }
        body = parsed.getAsJsonObject();
      } catch (JsonParseException e) {
        return Reply.error(Code.INVALID_ARGUMENT, "body must be JSON: " + e.getMessage());
      }
    }
    String expected =
        switch (what) {
          case "/reset", "/seed", "/faults" -> "POST";
          case "/journal", "/counters", "/operations" -> "GET";
          default -> null;
        };
    if (expected == null) {
      return Reply.error(Code.NOT_FOUND, "No admin endpoint " + rawPath);
    }
    if (!expected.equals(method)) {
      JsonObject err =
          new RpcStatus(Code.UNIMPLEMENTED, "Use " + expected + " " + rawPath).toJson();
      err.getAsJsonObject("error").addProperty("code", 405);
      return new Reply(405, err, Map.of("Allow", expected), false);
    }
    try {
      return switch (what) {
        case "/reset" -> {
          reset();
          yield Reply.empty();
        }
        case "/seed" -> Reply.json(200, AdminJson.seeded(seed(AdminJson.seed(body))));
        case "/faults" -> {
          AdminJson.fault(faults, body);
          yield Reply.empty();
        }
        case "/journal" -> Reply.json(200, AdminJson.journal(journal.entries()));
        case "/counters" -> Reply.json(200, AdminJson.counters(counters));
        default -> {
          JsonArray ops = new JsonArray();
          Instant now = clock.instant();
          operations.values().forEach(op -> ops.add(op.toJson(now, "v1")));
          JsonObject all = new JsonObject();
          all.add("operations", ops);
          yield Reply.json(200, all);
        }
      };
    } catch (RuntimeException e) {
      // Admin input comes from scripts: any bad field (wrong type, bad time) is the caller's error.
      return Reply.error(Code.INVALID_ARGUMENT, String.valueOf(e.getMessage()));
    }
  }
}
