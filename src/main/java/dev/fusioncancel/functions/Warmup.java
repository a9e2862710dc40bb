package dev.fusioncancel.functions;

import com.google.gson.JsonParser;
import dev.fusioncancel.client.HttpOperationsApi;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.engine.AnswerTable;
import dev.fusioncancel.http.HttpCall;
import dev.fusioncancel.http.JsonBodies;
import dev.fusioncancel.http.RequestContext;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.outcome.CancelAttempt;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.OutcomeEvent;
import dev.fusioncancel.rpc.RpcStatus;
import dev.fusioncancel.time.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the request path once on sample data, on a background thread, while the instance starts:
 * class loading and initialisation then overlap with the framework's own start-up instead of
 * delaying the first answer. No network, no logging, no effect on state.
 */
final class Warmup {
  private static final String NAME = "projects/warm-up-project/locations/us-central1/operations/w";

  private Warmup() {}

  /** Starts the warm-up on a daemon thread; failures are ignored (it is only an optimisation). */
  static void start(HttpOperationsApi api) {
    Thread t =
        new Thread(
            () -> {
              run();
              api.warmUp();
            },
            "fusion-cancel-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  /** Runs the sample once; true when every step worked (a test keeps the sample valid). */
  static boolean run() {
    try {
      byte[] body =
          ("{\"name\":\"" + NAME + "\",\"wait\":\"0s\"}").getBytes(StandardCharsets.UTF_8);
      HttpCall call =
          new HttpCall(
              "POST", "/", null, Map.of("Content-Type", List.of("application/json")), body);
      RequestContext ctx = RequestContext.from(call);
      String name =
          JsonBodies.optionalString(JsonBodies.object(body, Set.of("name", "wait")), "name");
      Durations.parse("0s");
      OperationName parsed = OperationName.parse(name);
      Operation op =
          Operation.fromJson(
              JsonParser.parseString(
                      "{\"name\":\""
                          + parsed
                          + "\",\"metadata\":{\"createTime\":\"2026-01-01T00:00:00Z\",\"verb\":\"update\"},"
                          + "\"done\":true,\"error\":{\"code\":1,\"message\":\"m\"}}")
                  .getAsJsonObject());
      RpcStatus.fromHttp(503, "{\"error\":{\"code\":503,\"status\":\"UNAVAILABLE\"}}");
      CancelResult result =
          new CancelResult(
              name,
              CancelAttempt.ACCEPTED,
              op,
              null,
              AnswerTable.decide(CancelAttempt.ACCEPTED, op, null),
              Instant.now());
      return OutcomeEvent.of(ctx.requestId(), result, false)
          .toJson()
          .get("outcome")
          .getAsString()
          .equals("CANCELLED");
    } catch (RuntimeException ignored) {
      // Only an optimisation: the real request path reports its own errors.
      return false;
    }
  }
}
