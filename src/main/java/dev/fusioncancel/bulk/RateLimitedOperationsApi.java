package dev.fusioncancel.bulk;

import dev.fusioncancel.budget.Budget;
import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.LocationPage;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.client.OperationPage;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.name.ProjectName;
import dev.fusioncancel.rpc.Code;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Takes a permit from the location's {@link Budget} before every call and tells it about
 * throttling. The wrapped client retries on its own; a 429 that escapes it means the budget is
 * really exhausted, so the limiter slows the whole location down.
 */
public final class RateLimitedOperationsApi implements OperationsApi {
  private final OperationsApi delegate;
  private final RateLimiters limiters;
  private final Instant notAfter;
  private final PoolSizing latencies;

  public RateLimitedOperationsApi(OperationsApi delegate, RateLimiters limiters) {
    this(delegate, limiters, Instant.MAX, new PoolSizing());
  }

  /**
   * A decorator that makes no call it cannot start by {@code notAfter}: such a call fails at once
   * with DEADLINE_EXCEEDED (see {@link #outOfTime}) instead of waiting past the function's
   * deadline. Every call's latency is recorded in {@code latencies} (which sizes the pool).
   */
  public RateLimitedOperationsApi(
      OperationsApi delegate, RateLimiters limiters, Instant notAfter, PoolSizing latencies) {
    this.delegate = delegate;
    this.limiters = limiters;
    this.notAfter = notAfter;
    this.latencies = latencies;
  }

  /** Whether the error means the call was never made because the deadline came first. */
  public static boolean outOfTime(ApiException e) {
    return e.getCause() instanceof OutOfTime;
  }

  /**
   * Cancels only if a permit can be had before {@code cutoff}.
   *
   * @return false when nothing was sent because the cutoff would have passed
   * @throws ApiException what the API answered
   */
  public boolean cancelIfBefore(OperationName name, Instant cutoff) {
    Instant before = cutoff.isBefore(notAfter) ? cutoff : notAfter;
    Budget limiter = limiters.of(name.parent());
    try {
      if (!limiter.acquire(limiters.deadlineNanos(before))) {
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.transport(Code.CANCELLED, "interrupted while waiting for the budget", e);
    }
    report(
        limiter,
        () -> {
          delegate.cancel(name);
          return null;
        });
    return true;
  }

  @Override
  public void cancel(OperationName name) {
    call(
        name.parent(),
        () -> {
          delegate.cancel(name);
          return null;
        });
  }

  @Override
  public Operation get(OperationName name) {
    return call(name.parent(), () -> delegate.get(name));
  }

  @Override
  public OperationPage list(LocationName parent, int pageSize, String pageToken) {
    return call(parent, () -> delegate.list(parent, pageSize, pageToken));
  }

  /** Paced on the project's own budget, {@link LocationExpansion#budgetKey}: it names no region. */
  @Override
  public LocationPage listLocations(ProjectName project, int pageSize, String pageToken) {
    return call(
        LocationExpansion.budgetKey(project),
        () -> delegate.listLocations(project, pageSize, pageToken));
  }

  private <T> T call(LocationName location, Supplier<T> call) {
    Budget limiter = limiters.of(location);
    try {
      if (!limiter.acquire(limiters.deadlineNanos(notAfter))) {
        throw ApiException.transport(
            Code.DEADLINE_EXCEEDED,
            "not sent: the request budget of " + location + " has no room before the deadline",
            new OutOfTime());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.transport(Code.CANCELLED, "interrupted while waiting for the budget", e);
    }
    return report(limiter, call);
  }

  private <T> T report(Budget limiter, Supplier<T> call) {
    long start = System.nanoTime();
    try {
      T result = call.get();
      limiter.onSuccess();
      return result;
    } catch (ApiException e) {
      if (e.code() == Code.RESOURCE_EXHAUSTED || e.httpStatus() == 429) {
        limiter.onThrottled(e.retryAfter().orElse(null));
      }
      throw e;
    } finally {
      latencies.observe(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** Marks an error for a call that was never made. */
  private static final class OutOfTime extends RuntimeException {
    OutOfTime() {
      super("out of time", null, false, false);
    }
  }
}
