package dev.fusioncancel.bulk;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.client.OperationPage;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.rpc.Code;
import java.util.function.Supplier;

/**
 * Takes a permit from the location's {@link RateLimiter} before every call and tells it about
 * throttling. The wrapped client retries on its own; a 429 that escapes it means the budget is
 * really exhausted, so the limiter slows the whole location down.
 */
public final class RateLimitedOperationsApi implements OperationsApi {
  private final OperationsApi delegate;
  private final RateLimiters limiters;

  public RateLimitedOperationsApi(OperationsApi delegate, RateLimiters limiters) {
    this.delegate = delegate;
    this.limiters = limiters;
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

  private <T> T call(LocationName location, Supplier<T> call) {
    RateLimiter limiter = limiters.of(location);
    try {
      limiter.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.transport(Code.CANCELLED, "interrupted while waiting for the budget", e);
    }
    try {
      T result = call.get();
      limiter.onSuccess();
      return result;
    } catch (ApiException e) {
      if (e.code() == Code.RESOURCE_EXHAUSTED || e.httpStatus() == 429) {
        limiter.onThrottled(e.retryAfter().orElse(null));
      }
      throw e;
    }
  }
}
