package dev.fusioncancel.emulator;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** JSON shapes of the small {@code /emulator/} admin surface used by scripts and the demo. */
final class AdminJson {
  private static final Set<String> SEED_FIELDS =
      Set.of(
          "name",
          "behaviour",
          "delaySeconds",
          "cancelDelaySeconds",
          "verb",
          "target",
          "createTime",
          "code",
          "message");
  private static final Set<String> FAULT_FIELDS =
      Set.of(
          "operation",
          "kind",
          "count",
          "retryAfterSeconds",
          "location",
          "latencyMs",
          "unavailableRate",
          "resetRate",
          "seed",
          "mode");

  private AdminJson() {}

  /** {@code {"name", "behaviour", "delaySeconds", "cancelDelaySeconds", "verb", ...}} to a seed. */
  static Seed seed(JsonObject body) {
    requireKnown(body, SEED_FIELDS);
    Behaviour behaviour =
        Behaviour.parse(
            string(body, "behaviour"),
            seconds(body, "delaySeconds"),
            seconds(body, "cancelDelaySeconds"),
            body.has("code") ? body.get("code").getAsInt() : null,
            string(body, "message"));
    String name = string(body, "name");
    if (name == null) {
      throw new IllegalArgumentException("name is required");
    }
    String createTime = string(body, "createTime");
    return new Seed(
        name,
        behaviour,
        string(body, "verb"),
        string(body, "target"),
        createTime == null ? null : Instant.parse(createTime));
  }

  static JsonObject seeded(SeededOperation op) {
    JsonObject out = new JsonObject();
    out.addProperty("name", op.name());
    out.addProperty("behaviour", op.behaviour().describe());
    out.addProperty("verb", op.verb());
    out.addProperty("target", op.target());
    out.addProperty("createTime", op.createTime().toString());
    return out;
  }

  /**
   * Applies {@code {"kind":
   * "unavailable|internal|throttle|reset|redirect|latency|chaos|auth|clear", "operation"?: name,
   * "count": n, ...}}.
   */
  static void fault(Faults faults, JsonObject body) {
    requireKnown(body, FAULT_FIELDS);
    String kind = string(body, "kind");
    if (kind == null) {
      throw new IllegalArgumentException("kind is required");
    }
    String operation = string(body, "operation");
    FaultPlan plan = operation == null ? faults : faults.forOperation(operation);
    int count = body.has("count") ? body.get("count").getAsInt() : 1;
    switch (kind.toLowerCase(Locale.ROOT)) {
      case "unavailable" -> plan.unavailableNext(count);
      case "internal" -> plan.internalNext(count);
      case "throttle" ->
          plan.throttleNext(
              count,
              Duration.ofSeconds(
                  body.has("retryAfterSeconds") ? body.get("retryAfterSeconds").getAsLong() : 1));
      case "reset" -> plan.resetNext(count);
      case "redirect" ->
          plan.redirectNext(
              count,
              body.has("location") ? string(body, "location") : "http://127.0.0.1:9/elsewhere");
      case "latency" ->
          plan.latency(
              Duration.ofMillis(body.has("latencyMs") ? body.get("latencyMs").getAsLong() : 0));
      case "chaos" ->
          plan.chaos(
              body.has("unavailableRate") ? body.get("unavailableRate").getAsDouble() : 0,
              body.has("resetRate") ? body.get("resetRate").getAsDouble() : 0,
              body.has("seed") ? body.get("seed").getAsLong() : 1);
      case "auth" ->
          faults.authMode(
              Faults.AuthMode.valueOf(
                  String.valueOf(string(body, "mode")).toUpperCase(Locale.ROOT)));
      case "clear" -> {
        if (operation == null) {
          faults.clearAll();
        } else {
          plan.clear();
        }
      }
      default -> throw new IllegalArgumentException("unknown fault kind: " + kind);
    }
  }

  static JsonObject journal(List<Journal.Entry> entries) {
    JsonArray list = new JsonArray();
    for (Journal.Entry e : entries) {
      JsonObject o = new JsonObject();
      o.addProperty("method", e.method());
      o.addProperty("path", e.path());
      if (e.query() != null) {
        o.addProperty("query", e.query());
      }
      o.addProperty("authorization", e.authorization());
      o.addProperty("status", e.status());
      o.addProperty("time", e.time().toString());
      list.add(o);
    }
    JsonObject out = new JsonObject();
    out.add("entries", list);
    return out;
  }

  static JsonObject counters(Counters c) {
    JsonObject out = new JsonObject();
    out.addProperty("requests", c.requests());
    out.addProperty("quotaRejections", c.quotaRejections());
    out.addProperty("injectedFaults", c.injectedFaults());
    out.addProperty("connectionResets", c.connectionResets());
    out.addProperty("unauthenticated", c.unauthenticated());
    out.addProperty("cancelsAccepted", c.cancelsAccepted());
    return out;
  }

  private static void requireKnown(JsonObject body, Set<String> known) {
    for (String key : body.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException("unknown field: " + key);
      }
    }
  }

  private static String string(JsonObject body, String key) {
    JsonElement e = body.get(key);
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  private static Duration seconds(JsonObject body, String key) {
    JsonElement e = body.get(key);
    return e == null || e.isJsonNull()
        ? null
        : Duration.ofMillis(Math.round(e.getAsDouble() * 1000));
  }
}
