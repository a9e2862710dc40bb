package dev.fusioncancel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonObject;
import dev.fusioncancel.client.InMemoryOperationsApi;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.log.CloudLog;
import dev.fusioncancel.name.InvalidNameException;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.outcome.PollSettings;
import dev.fusioncancel.testing.FuzzJson;
import dev.fusioncancel.testing.FuzzText;
import dev.fusioncancel.time.FakeTime;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the HTTP function's input: the JSON body of {@code POST /} and the raw
 * request target (path and query) of the drop-in {@code POST /{version}/{name}:cancel}. Upstream is
 * an in-memory API that records calls (nothing can reach a network). Properties: the function never
 * answers 500 (a bug); a 400 INVALID_ARGUMENT makes no call; a call is made only for the one valid
 * name the request carried, and only when everything else in the request was valid. A body that is
 * accepted round-trips: its canonical JSON reads back to the same object.
 */
class CancelHandlerFuzzTest {
  private static final Pattern DROP_IN = Pattern.compile("/(v1|v1beta1)/(.+):cancel");
  private static final Set<String> STANDARD =
      Set.of(
          "callback",
          "fields",
          "key",
          "access_token",
          "oauth_token",
          "quotaUser",
          "upload_protocol",
          "uploadType",
          "userIp");
  private static final Set<String> DOLLAR =
      Set.of("alt", "callback", "fields", "key", "prettyPrint", "quotaUser");
  private static final String[] QUERY = {
    "alt=json",
    "$.xgafv=2",
    "prettyPrint=false",
    "fields=name",
    "quotaUser=u",
    "key=k",
    "alt=media",
    "name=x",
    "pageToken=t",
    "",
    "=",
    "alt",
    "%61lt=json",
    "alt=json&alt=json",
    "upload_protocol=raw"
  };
  private static final String[] BODY_KEYS = {"name", "wait"};
  private static PrintStream stdout;

  @BeforeAll
  static void quietLogs() {
    stdout = CloudLog.redirect(new PrintStream(OutputStream.nullOutputStream()));
  }

  @AfterAll
  static void restoreLogs() {
    CloudLog.redirect(stdout);
  }

  @FuzzTest(maxDuration = "30s")
  void jsonBody_isRefusedWithInvalidArgumentOrCancelsExactlyTheNameItCarries(
      FuzzedDataProvider data) {
    InMemoryOperationsApi api = new InMemoryOperationsApi();
    String seeded = "projects/my-project/locations/us-central1/operations/op-1";
    api.put(InMemoryOperationsApi.running(seeded, "update", "t", Instant.EPOCH));
    String contentType =
        data.pickValue(
            new String[] {"application/json", "application/json; charset=utf-8", "text/plain"});
    byte[] body =
        data.consumeInt(0, 7) == 0
            ? data.consumeRemainingAsBytes()
            : FuzzJson.members(data, BODY_KEYS, CancelHandlerFuzzTest::bodyField)
                .getBytes(StandardCharsets.UTF_8);
    HttpCall call =
        new HttpCall("POST", "/", null, Map.of("Content-Type", List.of(contentType)), body);

    HttpAnswer answer = handler(api).handle(call);

    assertTrue(answer.status() != 500, () -> "500 means a bug: " + answer.body());
    List<String> calls = api.calls();
    if (answer.status() == 400 || answer.status() == 415) {
      assertTrue(calls.isEmpty(), () -> "refused but called: " + calls);
      if (answer.status() == 400) {
        assertEquals(
            "INVALID_ARGUMENT", answer.body().getAsJsonObject("error").get("status").getAsString());
      }
      return;
    }
    // Accepted: the body is a strict JSON object of known fields that round-trips.
    JsonObject parsed = JsonBodies.object(body, Set.of("name", "wait"));
    assertEquals(
        parsed,
        JsonBodies.object(
            parsed.toString().getBytes(StandardCharsets.UTF_8), Set.of("name", "wait")));
    String name = OperationName.parse(parsed.get("name").getAsString()).toString();
    assertTrue(!calls.isEmpty() && calls.get(0).equals("cancel " + name), () -> "calls " + calls);
    for (String c : calls) {
      assertTrue(c.equals("cancel " + name) || c.equals("get " + name), () -> "stray call " + c);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void dropInTarget_isRefusedBeforeAnyCallOrCancelsExactlyTheNameInThePath(
      FuzzedDataProvider data) {
    InMemoryOperationsApi api = new InMemoryOperationsApi();
    String seeded = "projects/my-project/locations/us-central1/operations/op-1";
    api.put(InMemoryOperationsApi.running(seeded, "update", "t", Instant.EPOCH));
    String target = data.consumeInt(0, 7) == 0 ? data.consumeString(300) : requestTarget(data);
    String body =
        data.pickValue(
            new String[] {"", "{}", " { } ", "{\"a\":1}", "{}{}", "[]", "null", "{\"\":0}"});
    String[] split = HttpCall.splitUri(target);
    HttpCall call =
        new HttpCall(
            "POST",
            split[0],
            split[1],
            Map.of("Content-Type", List.of("application/json")),
            body.getBytes(StandardCharsets.UTF_8));

    HttpAnswer answer = handler(api).handle(call);

    assertTrue(answer.status() != 500, () -> "500 means a bug: " + answer.body());
    List<String> calls = api.calls();
    Matcher m = DROP_IN.matcher(split[0]);
    boolean valid =
        m.matches()
            && validName(m.group(2))
            && standardQuery(split[1])
            && (body.isEmpty() || body.strip().replace(" ", "").equals("{}"));
    if (valid) {
      assertEquals(List.of("cancel " + m.group(2)), calls, target);
      assertTrue(answer.status() == 200 || answer.status() >= 400, target);
    } else {
      assertEquals(List.of(), calls, () -> "called for an invalid request target " + target);
      assertTrue(
          answer.status() >= 400 && answer.status() < 500, () -> target + " -> " + answer.status());
    }
  }

  private static CancelHandler handler(InMemoryOperationsApi api) {
    FakeTime time = new FakeTime();
    return new CancelHandler(
        Config.from(Map.of()),
        new dev.fusioncancel.engine.CancelEngine(
            api.client(time), time, time, time, PollSettings.DEFAULT, 100),
        time,
        time,
        java.time.Duration.ofSeconds(60),
        "p");
  }

  private static String bodyField(FuzzedDataProvider d, String key) {
    if (d.consumeInt(0, 7) == 0) {
      return FuzzJson.value(d, 2, BODY_KEYS, FuzzText.OPERATIONS);
    }
    return key.equals("name")
        ? FuzzJson.string(
            d,
            d.consumeBoolean()
                ? "projects/my-project/locations/us-central1/operations/op-1"
                : FuzzText.operationName(d))
        : FuzzJson.string(
            d, d.pickValue(new String[] {"0s", "5s", "20s", "2m", "-1s", "1d", "PT1S", "x"}));
  }

  private static String requestTarget(FuzzedDataProvider d) {
    StringBuilder sb = new StringBuilder();
    if (d.consumeInt(0, 9) == 0) {
      sb.append(d.pickValue(new String[] {"http://h:1", "https://evil.example.com", "//h"}));
    }
    sb.append(d.pickValue(new String[] {"/v1/", "/v1beta1/", "/v1/", "/v2/", "//v1/", "/", "/v1"}));
    sb.append(
        d.consumeBoolean()
            ? "projects/my-project/locations/us-central1/operations/op-1"
            : FuzzText.operationName(d));
    sb.append(
        d.pickValue(
            new String[] {
              ":cancel", ":cancel", ":cancel", ":cancel/", ":delete", "", ":cancel:cancel"
            }));
    int params = d.consumeInt(0, 3);
    for (int i = 0; i < params; i++) {
      sb.append(i == 0 ? "?" : "&").append(d.pickValue(QUERY));
    }
    if (d.consumeInt(0, 9) == 0) {
      sb.append("#").append(d.pickValue(FuzzText.HOSTILE));
    }
    return sb.toString();
  }

  private static boolean validName(String s) {
    try {
      return OperationName.parse(s).toString().equals(s);
    } catch (InvalidNameException e) {
      return false;
    }
  }

  /** The contract's standard parameters, percent-decoded, with the values the function serves. */
  private static boolean standardQuery(String q) {
    if (q == null || q.isEmpty()) {
      return true;
    }
    for (String pair : q.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (key == null || value == null) {
        return false;
      }
      String name =
          key.startsWith("$") && DOLLAR.contains(key.substring(1)) ? key.substring(1) : key;
      boolean ok =
          switch (name) {
            case "alt" -> value.equals("json") || value.equals("json;enum-encoding=int");
            case "$.xgafv" -> value.equals("1") || value.equals("2");
            case "prettyPrint" ->
                Set.of("true", "false", "1", "0", "")
                    .contains(value.toLowerCase(java.util.Locale.ROOT));
            default -> STANDARD.contains(name);
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Percent-decoding as RFC 3986 defines it (UTF-8), or null for a bad escape. */
  private static String decode(String s) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return dev.fusioncancel.json.StrictUtf8.decode(out.toByteArray()).orElse(null);
  }
}
