package dev.fusioncancel.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a cap: past it, the exchange is aborted and fails with
 * {@link TooLarge}, naming the cap, so no upstream answer can make the function hold an unbounded
 * body.
 */
final class CappedBody implements HttpResponse.BodySubscriber<String> {
  /** The body was longer than the cap. */
  static final class TooLarge extends IOException {
    TooLarge(int cap) {
      super("the response body is over " + cap + " bytes; it was not read");
    }
  }

  private final int cap;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final CompletableFuture<String> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  private CappedBody(int cap) {
    this.cap = cap;
  }

  /** A subscriber that refuses bodies over {@code cap} bytes. */
  static HttpResponse.BodySubscriber<String> subscriber(int cap) {
    return new CappedBody(cap);
  }

  @Override
  public CompletionStage<String> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      if (bytes.size() + b.remaining() > cap) {
        result.completeExceptionally(new TooLarge(cap));
        subscription.cancel();
        return;
      }
      byte[] chunk = new byte[b.remaining()];
      b.get(chunk);
      bytes.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
  }
}
