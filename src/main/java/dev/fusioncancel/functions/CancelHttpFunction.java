package dev.fusioncancel.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.fusioncancel.client.HttpOperationsApi;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.client.RetrySettings;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.config.ConfigException;
import dev.fusioncancel.engine.CancelEngine;
import dev.fusioncancel.http.CancelHandler;
import dev.fusioncancel.http.HttpAnswer;
import dev.fusioncancel.http.HttpCall;
import dev.fusioncancel.log.CloudLog;
import dev.fusioncancel.outcome.PollSettings;
import dev.fusioncancel.time.Sleeper;
import dev.fusioncancel.time.Ticker;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.time.Clock;
import java.util.Map;

/**
 * HTTP entry point: cancels one Data Fusion operation and answers what really happened. Thin: it
 * translates the framework's request into an {@link HttpCall}, asks {@link CancelHandler}, and
 * writes the answer. No Pub/Sub on this path (it would cost cold-start time).
 */
public final class CancelHttpFunction implements HttpFunction {
  private final CancelHandler handler;

  /** Production constructor: reads and validates the environment once per instance. */
  public CancelHttpFunction() {
    this(fromEnvironment());
  }

  CancelHttpFunction(CancelHandler handler) {
    this.handler = handler;
  }

  private static CancelHandler fromEnvironment() {
    Map<String, String> env = System.getenv();
    Config config;
    try {
      config = Config.from(env);
    } catch (ConfigException e) {
      CloudLog.log(
          CloudLog.Severity.CRITICAL,
          "fusion-cancel refuses to start: " + e.getMessage(),
          null,
          Map.of("variable", e.variable()));
      throw e;
    }
    HttpOperationsApi transport = Wiring.transport(config);
    Warmup.start(transport);
    OperationsApi api = Wiring.operationsApi(config, transport);
    CancelEngine engine =
        new CancelEngine(
            api, Clock.systemUTC(), Ticker.SYSTEM, Sleeper.SYSTEM, PollSettings.DEFAULT, 1000);
    return new CancelHandler(
        config,
        engine,
        Clock.systemUTC(),
        Ticker.SYSTEM,
        RetrySettings.DEFAULT.totalTimeout(),
        env.get("GOOGLE_CLOUD_PROJECT"));
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    byte[] body = readAtMost(request.getInputStream(), CancelHandler.MAX_BODY_BYTES + 1);
    String[] pathAndQuery = HttpCall.splitUri(request.getUri());
    HttpCall call =
        new HttpCall(
            request.getMethod(), pathAndQuery[0], pathAndQuery[1], request.getHeaders(), body);
    HttpAnswer answer = handler.handle(call);
    response.setStatusCode(answer.status());
    answer.headers().forEach(response::appendHeader);
    response.setContentType("application/json; charset=utf-8");
    Writer writer = response.getWriter();
    writer.write(answer.body().toString());
    writer.flush();
  }

  /** Reads up to {@code limit} bytes: enough to tell that a body is too large, never more. */
  static byte[] readAtMost(InputStream in, int limit) throws IOException {
    if (in == null) {
      return new byte[0];
    }
    return in.readNBytes(limit);
  }
}
