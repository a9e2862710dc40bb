package dev.fusioncancel.bench;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.IOException;

/**
 * The cold-start baseline: the smallest HTTP function, under the same invoker and JVM flags, and
 * deployed alone ({@code bench/run} puts only this class into {@code
 * target/bench/deploy/hello.jar}).
 */
public final class HelloHttp implements HttpFunction {
  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    response.setContentType("text/plain; charset=utf-8");
    response.getWriter().write("hello\n");
  }
}
