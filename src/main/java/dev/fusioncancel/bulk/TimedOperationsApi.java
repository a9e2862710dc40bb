package dev.fusioncancel.bulk;

import dev.fusioncancel.client.LocationPage;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.client.OperationPage;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.name.ProjectName;
import dev.fusioncancel.time.Ticker;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Records how long each logical call takes into {@link PoolSizing}, so the next run's pool is sized
 * by Little's law from the latency really observed (the one place the pool is sized is {@link
 * BulkSettings#workersFor}).
 */
final class TimedOperationsApi implements OperationsApi {
  private final OperationsApi delegate;
  private final Ticker ticker;
  private final PoolSizing latencies;

  TimedOperationsApi(OperationsApi delegate, Ticker ticker, PoolSizing latencies) {
    this.delegate = delegate;
    this.ticker = ticker;
    this.latencies = latencies;
  }

  private <T> T timed(Supplier<T> call) {
    long start = ticker.nanoTime();
    try {
      return call.get();
    } finally {
      latencies.observe(Duration.ofNanos(ticker.nanoTime() - start));
    }
  }

  @Override
  public void cancel(OperationName name, long deadlineNanos) {
    timed(
        () -> {
          delegate.cancel(name, deadlineNanos);
          return null;
        });
  }

  @Override
  public Operation get(OperationName name, long deadlineNanos) {
    return timed(() -> delegate.get(name, deadlineNanos));
  }

  @Override
  public OperationPage list(
      LocationName parent, int pageSize, String pageToken, long deadlineNanos) {
    return timed(() -> delegate.list(parent, pageSize, pageToken, deadlineNanos));
  }

  @Override
  public LocationPage listLocations(
      ProjectName project, int pageSize, String pageToken, long deadlineNanos) {
    return timed(() -> delegate.listLocations(project, pageSize, pageToken, deadlineNanos));
  }
}
