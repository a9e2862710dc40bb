package dev.fusioncancel.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.fusioncancel.http.CancelHandler;
import dev.fusioncancel.http.HttpAnswer;
import dev.fusioncancel.http.HttpCall;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;

/**
 * HTTP entry point: cancels one Data Fusion operation and answers what really happened. Thin: it
 * translates the framework's request into an {@link HttpCall}, asks {@link CancelHandler}, and
 * writes the answer. No Pub/Sub on this path (it would cost cold-start time).
 */
public final class CancelHttpFunction implements HttpFunction {
  private final CancelHandler handler;

  /** Production constructor: reads and validates the environment once per instance. */
  public CancelHttpFunction() {
    this(Wiring.cancelHandler(Wiring.config()));
  }

  CancelHttpFunction(CancelHandler handler) {
    this.handler = handler;
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
