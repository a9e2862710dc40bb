package dev.fusioncancel.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.log.Abbreviation;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.testing.EventarcBridge;
import dev.fusioncancel.testing.FunctionProcess;
import dev.fusioncancel.testing.PubSubEmulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, scenario 7: a corpus of malformed input, hand-written and generated from a fixed seed,
 * against both functions under the real invoker. HTTP: every answer is a 4xx with a {@code
 * google.rpc.Status} body, never a 5xx. Pub/Sub: every message is acknowledged with one error
 * summary. And the Data Fusion emulator receives nothing at all.
 *
 * <p>Known exception, documented: Jetty 12 inside the invoker refuses some raw request targets
 * itself, with a bodiless 400 (414 for a request line over its 8 KiB limit), before any function
 * code runs: ambiguous separators and segments ({@code %2F}, {@code %2e%2e}, {@code %5C}, {@code
 * %25}, {@code //}, {@code ..}), bad escapes ({@code %}, {@code %zz}, {@code %00}), raw bytes that
 * break the request line (controls, spaces, backslash, non-ASCII), a fragment, {@code *} and an
 * absolute-form target for another host. The invoker builds its {@code ServerConnector} with the
 * default {@code HttpConfiguration} (so {@code UriCompliance.DEFAULT}) and its own error handler,
 * and loads the function through a class loader that sees only the Functions Framework API, so no
 * function code or environment variable can change that. For those targets only, the test asserts a
 * 4xx and an empty journal instead of the body's shape; every other target must get our {@code
 * google.rpc.Status} body.
 */
class BadInputCorpusIT {
  private static final String HTTP_TARGET = "dev.fusioncancel.functions.CancelHttpFunction";
  private static final String BULK_TARGET = "dev.fusioncancel.functions.BulkCancelFunction";
  private static final String PARENT = "projects/demo-project/locations/us-central1";
  private static final String VALID = PARENT + "/operations/op-1";
  private static final String OUTCOMES = "chaos-a-bad-outcomes";
  private static final long SEED = 7L;
  private static final Set<String> CODES =
      Arrays.stream(Code.values()).map(Enum::name).collect(java.util.stream.Collectors.toSet());

  /** Raw targets that Jetty answers itself (see the class comment). */
  private static final Pattern JETTY_REFUSES =
      Pattern.compile(
          "(?i)^\\*$|^[a-z]+://.*|.*(%2f|%2e|%5c|%00|%25|%(?![0-9a-f]{2})|//|#|/\\.\\.?(/|:|$)"
              + "|[\\x00-\\x20\\x7f-\\xff\\\\]).*");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static ChaosRig.Stack stack;
  private static FunctionProcess http;
  private static FunctionProcess bulk;

  @BeforeAll
  static void start() throws Exception {
    stack = ChaosRig.open(null, OUTCOMES);
    http =
        FunctionProcess.start(
            HTTP_TARGET, Map.of("DATAFUSION_ENDPOINT", stack.emulator().endpoint()));
    bulk =
        FunctionProcess.start(
            BULK_TARGET,
            Map.of(
                "DATAFUSION_ENDPOINT",
                stack.emulator().endpoint(),
                "PUBSUB_EMULATOR_HOST",
                stack.pubsub().hostPort(),
                "OUTCOME_TOPIC",
                PubSubEmulator.topicName(OUTCOMES)));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {http, bulk, stack}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  // ------------------------------------------------------------------ HTTP corpus

  /** One malformed HTTP request: method, raw path, content type (null: none), body bytes. */
  record HttpCase(String label, String method, String path, String contentType, byte[] body) {
    static HttpCase json(String label, String body) {
      return new HttpCase(
          label, "POST", "/", "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    static HttpCase bytes(String label, byte[] body) {
      return new HttpCase(label, "POST", "/", "application/json", body);
    }
  }

  static String nameBody(String name) {
    JsonObject o = new JsonObject();
    o.addProperty("name", name);
    return o.toString();
  }

  static byte[] utf8WithBytes(String before, int[] raw, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    for (int b : raw) {
      out.write(b);
    }
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  static List<HttpCase> handWrittenHttp() {
    List<HttpCase> c = new ArrayList<>();
    // wrong types and shapes
    for (String v : List.of("1", "true", "null", "[]", "{}", "[\"" + VALID + "\"]", "1e999")) {
      c.add(HttpCase.json("name=" + v, "{\"name\":" + v + "}"));
    }
    for (String v : List.of("5", "true", "[]", "{}", "null")) {
      c.add(HttpCase.json("wait=" + v, "{\"name\":\"" + VALID + "/x\",\"wait\":" + v + "}"));
    }
    for (String b :
        List.of(
            "",
            " ",
            "[]",
            "\"" + VALID + "\"",
            "1",
            "null",
            "true",
            "{",
            "}",
            "{\"name\"}",
            "{\"name\":}",
            "{name:\"x\"}",
            "{'name':'x'}",
            "{\"name\":\"x\",}",
            "{\"name\":\"x\"} trailing",
            "{\"name\":\"x\"}{\"name\":\"y\"}",
            "{\"name\":\"x\" /* comment */}",
            "{\"name\":\"\\uZZZZ\"}",
            "{\"name\":\"\\",
            "\uFEFF{\"name\":\"x\"}")) {
      c.add(HttpCase.json("body " + b, b));
    }
    // missing and unknown fields
    c.add(HttpCase.json("missing name", "{\"wait\":\"5s\"}"));
    c.add(HttpCase.json("unknown field", "{\"name\":\"" + VALID + "\",\"olderthan\":\"6h\"}"));
    c.add(HttpCase.json("typo field", "{\"nmae\":\"" + VALID + "\"}"));
    c.add(HttpCase.json("unknown null", "{\"name\":\"" + VALID + "\",\"extra\":null}"));
    // absurd durations (with a valid name, so only the duration can refuse it)
    for (String w :
        List.of(
            "-5s",
            "PT-1S",
            "99999999999999999999s",
            "1e9h",
            "P1000000000000D",
            "NaN",
            "",
            "0x10s",
            "5 s",
            "5",
            "s",
            "1w",
            "5ms\u0000",
            "\u0661s",
            "PT1H\u0000")) {
      JsonObject o = new JsonObject();
      o.addProperty("name", VALID);
      o.addProperty("wait", w);
      c.add(HttpCase.json("wait " + w, o.toString()));
    }
    // huge arrays, deep nesting, big bodies
    c.add(HttpCase.json("30k array", "{\"name\":[" + "1,".repeat(30_000) + "1]}"));
    c.add(HttpCase.json("over 64 KiB", "{\"name\":\"" + "a".repeat(70_000) + "\"}"));
    c.add(HttpCase.json("10,000 [", "[".repeat(10_000)));
    c.add(HttpCase.json("10,000 [ in name", "{\"name\":" + "[".repeat(10_000)));
    c.add(HttpCase.json("5,000 objects", "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)));
    c.add(HttpCase.json("balanced 1,000", "[".repeat(1000) + "]".repeat(1000)));
    // names: 10 KB, control characters, paths, other hosts
    c.add(HttpCase.json("10 KB name", nameBody(PARENT + "/operations/" + "a".repeat(10_240))));
    c.add(HttpCase.json("10 KB project", nameBody("projects/" + "p".repeat(10_240))));
    for (String n :
        List.of(
            "",
            VALID + "\u0000",
            VALID.replace("op-1", "op\u00001"),
            VALID + "\n",
            VALID.replace("op-1", "op\t1"),
            VALID + "\u007f",
            VALID.replace("op-1", "op\u202e1"),
            VALID.replace("op-1", "op\u20281"),
            VALID.replace("op-1", "\u00f6p"),
            VALID.replace("op-1", "op%2F1"),
            VALID.replace("op-1", ".."),
            VALID.replace("op-1", "."),
            VALID.replace("op-1", "op:delete"),
            VALID.replace("op-1", "op?x=1"),
            VALID.replace("op-1", "op#x"),
            VALID + "/",
            "/" + VALID,
            VALID.replace("/operations/", "//operations/"),
            "https://evil.example.com/v1/" + VALID,
            "//evil.example.com/" + VALID,
            PARENT,
            PARENT + "/operations",
            VALID.replace("projects/", "project/"),
            VALID.replace("us-central1", "US-CENTRAL1"),
            VALID.replace("demo-project", "abc"),
            VALID + "/operations/op-2",
            " " + VALID,
            VALID.replace("op-1", "o".repeat(129)))) {
      c.add(HttpCase.json("name " + n, nameBody(n)));
    }
    // invalid UTF-8
    c.add(HttpCase.bytes("0xff", utf8WithBytes("{\"name\":\"", new int[] {0xff}, "\"}")));
    c.add(
        HttpCase.bytes("overlong /", utf8WithBytes("{\"name\":\"", new int[] {0xc0, 0xaf}, "\"}")));
    c.add(
        HttpCase.bytes(
            "surrogate", utf8WithBytes("{\"name\":\"", new int[] {0xed, 0xa0, 0x80}, "\"}")));
    c.add(HttpCase.bytes("truncated", utf8WithBytes("{\"name\":\"", new int[] {0xe2, 0x82}, "")));
    c.add(
        HttpCase.bytes(
            "latin-1 name",
            (nameBody(VALID.replace("op-1", "\u00e9")).getBytes(StandardCharsets.ISO_8859_1))));
    // content types, methods, paths the function does not serve
    c.add(new HttpCase("text/plain", "POST", "/", "text/plain", nameBody(VALID).getBytes()));
    c.add(new HttpCase("no content type", "POST", "/", null, nameBody(VALID).getBytes()));
    c.add(
        new HttpCase(
            "form", "POST", "/", "application/x-www-form-urlencoded", "name=x".getBytes()));
    c.add(new HttpCase("PUT", "PUT", "/", "application/json", nameBody(VALID).getBytes()));
    c.add(new HttpCase("DELETE", "DELETE", "/", null, new byte[0]));
    c.add(new HttpCase("GET", "GET", "/", null, new byte[0]));
    c.add(new HttpCase("PATCH drop-in", "PATCH", "/v1/" + VALID + ":cancel", null, new byte[0]));
    c.add(new HttpCase("GET drop-in", "GET", "/v1/" + VALID + ":cancel", null, new byte[0]));
    c.add(new HttpCase("unknown path", "POST", "/v1/" + VALID + ":delete", null, new byte[0]));
    c.add(new HttpCase("v2", "POST", "/v2/" + VALID + ":cancel", null, new byte[0]));
    c.add(
        new HttpCase(
            "unknown param", "POST", "/?x=1", "application/json", nameBody(VALID).getBytes()));
    c.add(
        new HttpCase(
            "drop-in body field",
            "POST",
            "/v1/" + VALID + ":cancel",
            "application/json",
            "{\"name\":\"x\"}".getBytes()));
    c.add(
        new HttpCase(
            "drop-in bad json",
            "POST",
            "/v1/" + VALID + ":cancel",
            "application/json",
            "{".getBytes()));
    c.add(new HttpCase("drop-in array", "POST", "/v1/" + VALID + ":cancel", null, "[]".getBytes()));
    c.add(
        new HttpCase(
            "drop-in unknown param", "POST", "/v1/" + VALID + ":cancel?name=x", null, new byte[0]));
    return c;
  }

  /** Characters no segment of a name may hold (so an insertion can never make a name valid). */
  private static final String FORBIDDEN =
      " \t\n\r\u0000\u0001\u001f\u007f%?#\"<>\\^`{|}@!$&'()*+,;=[]\u00e9\u00a0\u2028\u202e\uFEFF";

  static List<String> generatedNames(Random random, int count) {
    List<String> names = new ArrayList<>();
    String[] segments = VALID.split("/");
    while (names.size() < count) {
      String n;
      switch (random.nextInt(6)) {
        case 0, 1 -> {
          int at = random.nextInt(VALID.length() + 1);
          char ch = FORBIDDEN.charAt(random.nextInt(FORBIDDEN.length()));
          n = VALID.substring(0, at) + ch + VALID.substring(at);
        }
        case 2 -> {
          List<String> s = new ArrayList<>(List.of(segments));
          int i = random.nextInt(s.size());
          if (random.nextBoolean()) {
            s.remove(i);
          } else {
            s.add(i, s.get(i));
          }
          n = String.join("/", s);
        }
        case 3 -> {
          List<String> s = new ArrayList<>(List.of(segments));
          s.set(random.nextInt(s.size()), "");
          n = String.join("/", s);
        }
        case 4 -> {
          StringBuilder id = new StringBuilder();
          int len = 129 + random.nextInt(2000);
          for (int i = 0; i < len; i++) {
            id.append("abcXYZ019_.~-".charAt(random.nextInt(13)));
          }
          n = PARENT + "/operations/" + id;
        }
        default -> {
          StringBuilder s = new StringBuilder();
          int len = random.nextInt(80);
          for (int i = 0; i < len; i++) {
            s.append((char) random.nextInt(0x3000));
          }
          n = s.toString();
        }
      }
      names.add(n);
    }
    return names;
  }

  static List<HttpCase> generatedHttp() {
    Random random = new Random(SEED);
    List<HttpCase> c = new ArrayList<>();
    for (String n : generatedNames(random, 160)) {
      c.add(HttpCase.json("generated name " + n.length(), nameBody(n)));
    }
    // Not random bytes (refused at the first byte, they can hardly fail): a valid body with one
    // defect each, so every case gets past the JSON syntax to the field, type and name checks.
    for (int i = 0; i < 40; i++) {
      c.add(HttpCase.bytes("one-defect body " + i, oneDefect(random, i % ONE_DEFECT_KINDS)));
    }
    return c;
  }

  private static final int ONE_DEFECT_KINDS = 8;

  /** {@code {"name": VALID, "wait": "5s"}} with exactly one defect of kind {@code kind}. */
  static byte[] oneDefect(Random random, int kind) {
    String name = "\"" + VALID + "\"";
    String wait = "\"" + (1 + random.nextInt(59)) + "s\"";
    String body =
        switch (kind) {
          case 0 -> "{\"name\":" + name + ",\"wait\":" + wait + ",\"name\":" + name + "}";
          case 1 ->
              "{\"name\":"
                  + name
                  + ",\"wait\":"
                  + wait
                  + ",\"w"
                  + (char) ('a' + random.nextInt(26))
                  + "it\":1}";
          case 2 -> "{\"name\":" + name + ",\"wait\":" + random.nextInt(100) + "}";
          case 3 ->
              "{\"name\":" + name + ",\"wait\":" + wait + "}" + "x]}{,".charAt(random.nextInt(5));
          case 4 -> "{\"name\":" + name + ",\"wait\":\"" + (1 + random.nextInt(9)) + "x\"}";
          case 5 -> "{\"name\":" + name + ",\"wait\":\"-" + random.nextInt(100) + "s\"}";
          case 6 -> {
            int at = 1 + random.nextInt(VALID.length() - 1);
            char ch = FORBIDDEN.charAt(random.nextInt(FORBIDDEN.length()));
            String bad = VALID.substring(0, at) + ch + VALID.substring(at);
            yield "{\"name\":" + new com.google.gson.JsonPrimitive(bad) + ",\"wait\":" + wait + "}";
          }
          default -> "{\"name\":" + name + ",\"wait\":" + wait + "";
        };
    return body.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void httpFunction_answersEveryMalformedBody_with4xxRpcStatus_andCallsNothing() throws Exception {
    stack.emulator().journal().clear();
    List<HttpCase> corpus = new ArrayList<>(handWrittenHttp());
    corpus.addAll(generatedHttp());
    assertTrue(corpus.size() >= 200, "corpus size " + corpus.size());
    List<String> failures = new ArrayList<>();
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (HttpCase k : corpus) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(http.url() + k.path()))
              .timeout(Duration.ofSeconds(30))
              .method(k.method(), HttpRequest.BodyPublishers.ofByteArray(k.body()));
      if (k.contentType() != null) {
        b.header("Content-Type", k.contentType());
      }
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      statuses.merge(r.statusCode(), 1, Integer::sum);
      String problem = rpcProblem(r.statusCode(), r.body());
      if (problem != null) {
        failures.add(k.label() + ": " + problem);
      }
    }
    System.out.println("BadInputCorpusIT HTTP: " + corpus.size() + " cases, statuses " + statuses);
    assertEquals(List.of(), failures);
    assertEquals(List.of(), stack.emulator().journal().entries(), "nothing reached the emulator");
  }

  static List<String> rawPaths() {
    String op = "/v1/" + PARENT + "/operations/";
    List<String> p =
        new ArrayList<>(
            List.of(
                op + "%2e%2e:cancel",
                op + "a%2Fb:cancel",
                op + "a%2fb:cancel",
                op + "..:cancel",
                op + ".:cancel",
                op + "x/../y:cancel",
                op + "x/./y:cancel",
                "/v1/projects/demo-project/locations/us-central1/%2e%2e/operations/a:cancel",
                op + "a%5Cb:cancel",
                op + "a%00b:cancel",
                op + "a%3Adelete:cancel",
                op + "a%25:cancel",
                op + "a%:cancel",
                op + "a%zz:cancel",
                op + "a;x=1:cancel",
                op + "a:cancel;x",
                op + "a:cancel?alt=json&key=1&x=2",
                op + "a:cancel?%ff",
                "/v1//" + PARENT + "/operations/a:cancel",
                op + "a%C3%A9:cancel",
                op + "a:cancel#frag",
                op + "a\\b:cancel",
                op + "a\u00e9:cancel",
                op + "a\u0001b:cancel",
                op + "a\tb:cancel",
                op + "a" + "b".repeat(10_240) + ":cancel",
                "/v1beta1/" + PARENT + "/operations/a:cancel?alt=proto",
                "/v1beta1/" + PARENT + "/operations/a:cancel?upload_protocol=x&y",
                "*",
                "http://evil.example.com/v1/" + PARENT + "/operations/a:cancel",
                "/" + "%2e%2e/".repeat(5) + "etc/passwd"));
    Random random = new Random(SEED + 1);
    for (int i = 0; i < 10; i++) {
      String n = generatedNames(random, 1).get(0);
      StringBuilder path = new StringBuilder("/v1/");
      for (byte b : n.getBytes(StandardCharsets.UTF_8)) {
        int c = b & 0xff;
        path.append(
            c > 0x20 && c < 0x7f && c != '#'
                ? String.valueOf((char) c)
                : "%" + String.format("%02X", c));
      }
      p.add(path + ":cancel");
    }
    return p;
  }

  @Test
  void httpFunction_refusesHostileRawPaths_with4xx_andCallsNothing() throws Exception {
    stack.emulator().journal().clear();
    List<String> failures = new ArrayList<>();
    Map<String, Integer> jettyAnswered = new LinkedHashMap<>();
    for (String path : rawPaths()) {
      RawAnswer a = rawPost(http.port(), path);
      String problem = rpcProblem(a.status(), a.body());
      if (problem == null) {
        continue;
      }
      boolean jetty = !a.contentType().toLowerCase(Locale.ROOT).contains("json");
      boolean ambiguous = JETTY_REFUSES.matcher(path).matches();
      boolean tooLong = a.status() == 414 && path.length() > 8000;
      if (jetty && (ambiguous && a.status() / 100 == 4 || tooLong)) {
        jettyAnswered.put(Abbreviation.abbreviate(path, 120), a.status());
      } else {
        failures.add(
            Abbreviation.abbreviate(path, 120) + ": " + problem + " [" + a.contentType() + "]");
      }
    }
    System.out.println("BadInputCorpusIT raw paths answered by Jetty itself: " + jettyAnswered);
    assertEquals(List.of(), failures);
    assertEquals(List.of(), stack.emulator().journal().entries(), "nothing reached the emulator");
  }

  /** Null when the answer is a 4xx google.rpc.Status body, else what is wrong with it. */
  static String rpcProblem(int status, String body) {
    if (status < 400 || status >= 500) {
      return "status " + status + " " + Abbreviation.abbreviate(body, 120);
    }
    try {
      JsonObject error = JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("error");
      if (error.get("code").getAsInt() != status) {
        return "error.code " + error.get("code") + " for HTTP " + status;
      }
      if (!CODES.contains(error.get("status").getAsString())) {
        return "error.status " + error.get("status");
      }
      if (error.get("message").getAsString().isEmpty()) {
        return "empty error.message";
      }
      return null;
    } catch (RuntimeException e) {
      return "not a google.rpc.Status body (" + e + "): " + Abbreviation.abbreviate(body, 120);
    }
  }

  record RawAnswer(int status, String contentType, String body) {}

  /** Sends the request line exactly as given (bytes as ISO-8859-1 after UTF-8), no body. */
  static RawAnswer rawPost(int port, String path) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.writeBytes("POST ".getBytes(StandardCharsets.ISO_8859_1));
      request.writeBytes(path.getBytes(StandardCharsets.UTF_8));
      request.writeBytes(
          " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1));
      try {
        OutputStream out = s.getOutputStream();
        out.write(request.toByteArray());
        out.flush();
      } catch (java.net.SocketException closedEarly) {
        // the server answered and closed before reading all of a bad request line: read it
      }
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      int split = answer.indexOf("\r\n\r\n");
      String head = split < 0 ? answer : answer.substring(0, split);
      String body = split < 0 ? "" : answer.substring(split + 4);
      String contentType = "";
      boolean chunked = false;
      for (String line : head.split("\r\n")) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-type:")) {
          contentType = line.substring(13).trim();
        }
        if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        }
      }
      if (chunked) {
        body = dechunk(body);
      }
      int status = Integer.parseInt(head.substring(9, 12));
      return new RawAnswer(
          status,
          contentType,
          new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }
  }

  static String dechunk(String body) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < body.length()) {
      int eol = body.indexOf("\r\n", i);
      if (eol < 0) {
        break;
      }
      int size = Integer.parseInt(body.substring(i, eol).split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      out.append(body, eol + 2, eol + 2 + size);
      i = eol + 2 + size + 2;
    }
    return out.toString();
  }

  // ------------------------------------------------------------------ Pub/Sub corpus

  /** One malformed message: the Pub/Sub data as bytes, or (when envelope != null) a raw body. */
  record BulkCase(String label, byte[] data, String rawMessageData, String envelope) {
    static BulkCase json(String label, String data) {
      return new BulkCase(label, data.getBytes(StandardCharsets.UTF_8), null, null);
    }
  }

  static List<BulkCase> bulkCorpus() {
    String p = "\"" + PARENT + "\"";
    String o = "\"" + VALID + "\"";
    List<BulkCase> c = new ArrayList<>();
    // wrong types
    for (String d :
        List.of(
            "{\"operations\":" + o + "}",
            "{\"operations\":[1]}",
            "{\"operations\":[null]}",
            "{\"parents\":{}}",
            "{\"parents\":[true]}",
            "{\"parents\":[" + p + "],\"limit\":\"5\"}",
            "{\"parents\":[" + p + "],\"dryRun\":\"yes\"}",
            "{\"parents\":[" + p + "],\"wait\":5}",
            "{\"parents\":[" + p + "],\"olderThan\":[]}",
            "{\"parents\":[" + p + "],\"verbs\":\"update\"}",
            "{\"parents\":[" + p + "],\"targets\":[{}]}",
            "[" + o + "]",
            "\"" + VALID + "\"",
            "null",
            "42")) {
      c.add(BulkCase.json("type " + d, d));
    }
    // huge arrays and deep nesting
    c.add(
        BulkCase.json(
            "10,001 operations",
            "{\"operations\":["
                + String.join(",", java.util.Collections.nCopies(10_001, o))
                + "]}"));
    c.add(
        BulkCase.json(
            "20,000 parents",
            "{\"parents\":[" + String.join(",", java.util.Collections.nCopies(20_000, p)) + "]}"));
    c.add(BulkCase.json("10,000 [", "[".repeat(10_000)));
    c.add(BulkCase.json("10,000 [ in operations", "{\"operations\":" + "[".repeat(10_000)));
    c.add(BulkCase.json("5,000 objects", "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)));
    // invalid UTF-8
    c.add(
        new BulkCase(
            "0xff", utf8WithBytes("{\"parents\":[\"", new int[] {0xff}, "\"]}"), null, null));
    c.add(
        new BulkCase(
            "overlong",
            utf8WithBytes("{\"parents\":[\"", new int[] {0xc0, 0xaf}, "\"]}"),
            null,
            null));
    c.add(
        new BulkCase(
            "surrogate",
            utf8WithBytes("{\"parents\":[\"", new int[] {0xed, 0xa0, 0x80}, "\"]}"),
            null,
            null));
    // base64 errors and envelopes that are not a Pub/Sub message
    c.add(new BulkCase("not base64", null, "!!!not base64!!!", null));
    c.add(new BulkCase("bad padding", null, "eyJ", null));
    c.add(new BulkCase("url-safe base64", null, "eyJwYXJlbnRzIjpbXX0_-", null));
    c.add(new BulkCase("empty data", null, "", null));
    c.add(new BulkCase("envelope: text", null, null, "hello"));
    c.add(new BulkCase("envelope: empty", null, null, ""));
    c.add(new BulkCase("envelope: array", null, null, "[]"));
    c.add(new BulkCase("envelope: message string", null, null, "{\"message\":\"x\"}"));
    c.add(new BulkCase("envelope: no data", null, null, "{\"message\":{\"attributes\":{}}}"));
    c.add(new BulkCase("envelope: data number", null, null, "{\"message\":{\"data\":123}}"));
    c.add(new BulkCase("envelope: truncated", null, null, "{\"message\":{\"data\":"));
    c.add(new BulkCase("envelope: deep", null, null, "{\"message\":" + "[".repeat(10_000)));
    // unknown and missing fields
    c.add(BulkCase.json("olderthan", "{\"parents\":[" + p + "],\"olderthan\":\"6h\"}"));
    c.add(BulkCase.json("dry_run", "{\"operations\":[" + o + "],\"dry_run\":true}"));
    c.add(BulkCase.json("extra null", "{\"parents\":[" + p + "],\"extra\":null}"));
    c.add(BulkCase.json("empty object", "{}"));
    c.add(BulkCase.json("only dryRun", "{\"dryRun\":true}"));
    c.add(BulkCase.json("empty operations", "{\"operations\":[]}"));
    c.add(BulkCase.json("empty parents", "{\"parents\":[]}"));
    // limits and durations
    for (String limit : List.of("-1", "0", "1.5", "1e100", "99999999999999999999")) {
      c.add(BulkCase.json("limit " + limit, "{\"parents\":[" + p + "],\"limit\":" + limit + "}"));
    }
    for (String d : List.of("-6h", "6x", "99999999999d", "PT-1H", "", "P1000000000000D")) {
      c.add(
          BulkCase.json("olderThan " + d, "{\"parents\":[" + p + "],\"olderThan\":\"" + d + "\"}"));
    }
    for (String d : List.of("-1s", "1000000000000000000000s", "NaN")) {
      c.add(BulkCase.json("wait " + d, "{\"parents\":[" + p + "],\"wait\":\"" + d + "\"}"));
    }
    c.add(BulkCase.json("trailing data", "{\"parents\":[" + p + "]} x"));
    return c;
  }

  @Test
  void bulkFunction_acknowledgesEveryMalformedMessage_withOneErrorSummary_andCallsNothing()
      throws Exception {
    stack.emulator().journal().clear();
    stack.pubsub().drain(stack.watch(), Integer.MAX_VALUE, Duration.ofMillis(300));
    List<BulkCase> corpus = bulkCorpus();
    assertTrue(corpus.size() >= 50, "corpus size " + corpus.size());
    Map<String, String> labels = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    int n = 0;
    for (BulkCase k : corpus) {
      String id = "bad-" + (n++);
      labels.put(id, k.label());
      HttpRequest request;
      if (k.data() != null && isUtf8(k.data())) {
        request =
            EventarcBridge.cloudEvent(
                bulk.url(),
                n % 2 == 0 ? EventarcBridge.Mode.BINARY : EventarcBridge.Mode.STRUCTURED,
                PubSubEmulator.topicName("chaos-a-bad-requests"),
                "direct",
                id,
                new String(k.data(), StandardCharsets.UTF_8),
                Map.of(),
                Instant.now());
      } else if (k.data() != null) {
        request = withData(id, Base64.getEncoder().encodeToString(k.data()));
      } else if (k.rawMessageData() != null) {
        request = withData(id, k.rawMessageData());
      } else {
        request = binaryEvent(id, k.envelope());
      }
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        failures.add(
            k.label() + ": HTTP " + r.statusCode() + " " + Abbreviation.abbreviate(r.body(), 120));
      }
    }
    Map<String, JsonObject> summaries = new TreeMap<>();
    Set<String> outcomeEvents = new HashSet<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (summaries.size() < labels.size() && System.nanoTime() < deadline) {
      for (PubSubEmulator.Received m :
          stack.pubsub().drain(stack.watch(), Integer.MAX_VALUE, Duration.ofSeconds(1))) {
        String requestId = m.attributes().get("requestId");
        if ("summary".equals(m.attributes().get("type"))) {
          summaries.put(requestId, JsonParser.parseString(m.data()).getAsJsonObject());
        } else {
          outcomeEvents.add(requestId);
        }
      }
    }
    labels.forEach(
        (id, label) -> {
          JsonObject s = summaries.get(id);
          if (s == null) {
            failures.add(label + ": no summary");
          } else if (!s.has("error")
              || s.getAsJsonObject("error").get("message").getAsString().isEmpty()) {
            failures.add(
                label + ": summary without error " + Abbreviation.abbreviate(s.toString(), 120));
          } else if (s.get("total").getAsInt() != 0) {
            failures.add(label + ": summary total " + s.get("total"));
          }
        });
    assertEquals(List.of(), failures);
    assertEquals(Set.of(), outcomeEvents, "no outcome events, only error summaries");
    assertEquals(List.of(), stack.emulator().journal().entries(), "nothing reached the emulator");
  }

  /**
   * A binary-mode {@code messagePublished} CloudEvent whose message data is {@code base64} as given
   * (possibly not base64 at all).
   */
  static HttpRequest withData(String id, String base64) {
    JsonObject message = new JsonObject();
    message.addProperty("data", base64);
    message.addProperty("messageId", id);
    message.addProperty("publishTime", Instant.now().toString());
    JsonObject payload = new JsonObject();
    payload.add("message", message);
    payload.addProperty(
        "subscription", "projects/" + PubSubEmulator.PROJECT + "/subscriptions/direct");
    return binaryEvent(id, payload.toString());
  }

  /** A binary-mode {@code messagePublished} CloudEvent with {@code body} as its data, raw. */
  static HttpRequest binaryEvent(String id, String body) {
    return HttpRequest.newBuilder(URI.create(bulk.url()))
        .timeout(Duration.ofSeconds(60))
        .header("ce-specversion", "1.0")
        .header("ce-id", id)
        .header(
            "ce-source",
            "//pubsub.googleapis.com/" + PubSubEmulator.topicName("chaos-a-bad-requests"))
        .header("ce-type", "google.cloud.pubsub.topic.v1.messagePublished")
        .header("ce-time", Instant.now().toString())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }
}
