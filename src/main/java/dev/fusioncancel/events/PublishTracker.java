package dev.fusioncancel.events;

import dev.fusioncancel.time.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The publishes of one invocation, so that every one is awaited before the function returns. */
public final class PublishTracker {
  private final List<CompletableFuture<String>> pending = new ArrayList<>();
  private final List<OutcomeSink> sinks = new ArrayList<>();
  private final Ticker ticker;

  /** A tracker whose deadlines are readings of {@code ticker}. */
  public PublishTracker(Ticker ticker) {
    this.ticker = ticker;
  }

  /** Publishes through {@code sink} and remembers the future. */
  public synchronized CompletableFuture<String> publish(
      OutcomeSink sink, String data, java.util.Map<String, String> attributes) {
    CompletableFuture<String> f;
    try {
      f = sink.publish(data, attributes);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    pending.add(f);
    if (!sinks.contains(sink)) {
      sinks.add(sink);
    }
    return f;
  }

  /** How many messages were published. */
  public synchronized int count() {
    return pending.size();
  }

  /**
   * Flushes every sink used and waits for every message, never past {@code deadlineNanos} (a {@link
   * Ticker} reading): a message not confirmed by then counts as failed.
   *
   * @throws PublishException naming how many failed, with the first failure as the cause
   */
  public void awaitAll(long deadlineNanos) throws PublishException, InterruptedException {
    List<CompletableFuture<String>> all;
    synchronized (this) {
      sinks.forEach(OutcomeSink::flush);
      all = List.copyOf(pending);
    }
    int failed = 0;
    Throwable first = null;
    for (CompletableFuture<String> f : all) {
      try {
        f.get(Math.max(0, deadlineNanos - ticker.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        failed++;
        first = first == null ? e.getCause() : first;
      } catch (TimeoutException e) {
        failed++;
        first = first == null ? e : first;
      }
    }
    if (failed > 0) {
      throw new PublishException(
          failed + " of " + all.size() + " events could not be published: " + first, first);
    }
  }
}
