package dev.fusioncancel.client;

import dev.fusioncancel.budget.Budget;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.name.ProjectName;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.time.Sleeper;
import dev.fusioncancel.time.Ticker;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * The one retry and budget layer over a single-exchange {@link OperationsTransport}: every request
 * it sends (each attempt, the 401 re-send, each list page) first takes a permit from its location's
 * {@link Budget}, and each gets the time its call has left, {@code min(perCallTimeout, end - now)},
 * recomputed per request. A 429 tells the budget at once; a 401 refreshes the credentials and
 * re-sends once (with a permit of its own); everything else is {@link Retrier}'s decision.
 *
 * <p>Thread-safe: the state of a call lives on its stack.
 */
public final class RetryingOperationsApi implements OperationsApi {
  private final OperationsTransport transport;
  private final RetrySettings settings;
  private final Retrier retrier;
  private final Function<LocationName, Budget> budgets;
  private final Ticker ticker;

  /**
   * @param budgets the budget of each location (see {@link dev.fusioncancel.budget.Budgets})
   * @param jitter values in {@code [0, 1]} for the backoff's full jitter
   */
  public RetryingOperationsApi(
      OperationsTransport transport,
      RetrySettings settings,
      Function<LocationName, Budget> budgets,
      Ticker ticker,
      Sleeper sleeper,
      DoubleSupplier jitter) {
    this.transport = transport;
    this.settings = settings;
    this.retrier = new Retrier(settings, ExponentialBackoff.of(settings, jitter), ticker, sleeper);
    this.budgets = budgets;
    this.ticker = ticker;
  }

  @Override
  public void cancel(OperationName name, long deadlineNanos) {
    call(
        name.parent(),
        deadlineNanos,
        timeout -> {
          transport.cancel(name, timeout);
          return null;
        });
  }

  @Override
  public Operation get(OperationName name, long deadlineNanos) {
    return call(name.parent(), deadlineNanos, timeout -> transport.get(name, timeout));
  }

  @Override
  public OperationPage list(
      LocationName parent, int pageSize, String pageToken, long deadlineNanos) {
    return call(
        parent, deadlineNanos, timeout -> transport.list(parent, pageSize, pageToken, timeout));
  }

  @Override
  public LocationPage listLocations(
      ProjectName project, int pageSize, String pageToken, long deadlineNanos) {
    return call(
        project.locationsListBudgetKey(),
        deadlineNanos,
        timeout -> transport.listLocations(project, pageSize, pageToken, timeout));
  }

  private <T> T call(LocationName location, long deadlineNanos, Function<Duration, T> send) {
    Budget budget = budgets.apply(location);
    boolean[] refreshed = {false};
    int[] resends = {0};
    try {
      return retrier.run(
          deadlineNanos,
          end -> {
            try {
              return once(budget, location, end, send);
            } catch (ApiException e) {
              if (e.httpStatus() != 401 || refreshed[0]) {
                throw e;
              }
              refreshed[0] = true;
              transport.refreshCredentials();
              resends[0]++;
              return once(budget, location, end, send);
            }
          });
    } catch (ApiException e) {
      // The re-send after a refresh is a request of its own, though the retrier saw one attempt.
      throw resends[0] == 0 ? e : e.withAttempts(e.attempts() + resends[0]);
    }
  }

  /** One request: a permit, then one exchange with the time that is left. */
  private <T> T once(
      Budget budget, LocationName location, long endNanos, Function<Duration, T> send) {
    try {
      if (!budget.acquire(endNanos)) {
        throw ApiException.outOfTime(
            "not sent: the request budget of " + location + " has no room before the deadline");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.transport(Code.CANCELLED, "interrupted while waiting for the budget", e);
    }
    long left = endNanos - ticker.nanoTime();
    if (left <= 0) {
      throw ApiException.outOfTime("not sent: no time left after waiting for the budget");
    }
    Duration timeout = Duration.ofNanos(Math.min(settings.perCallTimeout().toNanos(), left));
    try {
      T result = send.apply(timeout);
      budget.onSuccess();
      return result;
    } catch (ApiException e) {
      if (e.code() == Code.RESOURCE_EXHAUSTED || e.httpStatus() == 429) {
        budget.onThrottled(e.retryAfter().orElse(null));
      } else if (e.httpStatus() > 0) {
        budget.onSuccess();
      }
      throw e;
    }
  }
}
