package dev.fusioncancel.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;

/** HTTP entry point: cancels one Data Fusion operation and answers what really happened. */
public final class CancelHttpFunction implements HttpFunction {
  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    response.setStatusCode(501);
    response.setContentType("application/json");
    response.getWriter().write("{\"error\":{\"code\":501,\"status\":\"UNIMPLEMENTED\"}}");
  }
}
