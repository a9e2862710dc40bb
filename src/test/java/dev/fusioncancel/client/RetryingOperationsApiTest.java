package dev.fusioncancel.client;

import static dev.fusioncancel.client.TestClients.NO_DEADLINE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.budget.Budget;
import dev.fusioncancel.budget.Budgets;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.rpc.RpcStatus;
import dev.fusioncancel.time.FakeTime;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryingOperationsApiTest {
  static final OperationName OP =
      OperationName.parse("projects/proj-a/locations/us-east1/operations/o1");

  final FakeTime time = new FakeTime();

  /** A budget that counts permits and what it was told. */
  static final class CountingBudget implements Budget {
    int permits;
    final List<Duration> throttled = new ArrayList<>();
    int successes;
    boolean refuse;

    @Override
    public boolean acquire(long deadlineNanos) {
      if (refuse) {
        return false;
      }
      permits++;
      return true;
    }

    @Override
    public void onThrottled(Duration retryAfter) {
      throttled.add(retryAfter);
    }

    @Override
    public void onSuccess() {
      successes++;
    }

    @Override
    public double requestsPerMinute() {
      return 0;
    }
  }

  /** A transport that answers from a script and records each request's timeout. */
  final class Scripted implements OperationsTransport {
    final Deque<ApiException> failures = new ArrayDeque<>();
    final List<Duration> timeouts = new ArrayList<>();
    int refreshes;
    Duration latency = Duration.ZERO;

    @Override
    public void cancel(OperationName name, Duration timeout) {
      timeouts.add(timeout);
      time.advance(latency);
      ApiException e = failures.poll();
      if (e != null) {
        throw e;
      }
    }

    @Override
    public Operation get(OperationName name, Duration timeout) {
      cancel(name, timeout);
      return new Operation(name.toString(), false, null, false, null, null, null, null, null, null);
    }

    @Override
    public OperationPage list(
        LocationName parent, int pageSize, String pageToken, Duration timeout) {
      cancel(null, timeout);
      return new OperationPage(List.of(), null);
    }

    @Override
    public void refreshCredentials() {
      refreshes++;
    }
  }

  static ApiException http(int status, Code code, Duration retryAfter) {
    return new ApiException(new RpcStatus(code, "scripted"), status, retryAfter, 1, null);
  }

  @Test
  void everyRetryAttemptTakesItsOwnPermit() {
    Scripted transport = new Scripted();
    for (int i = 0; i < 3; i++) {
      transport.failures.add(http(503, Code.UNAVAILABLE, null));
    }
    CountingBudget budget = new CountingBudget();
    OperationsApi api = TestClients.retrying(transport, RetrySettings.DEFAULT, l -> budget, time);

    api.cancel(OP, NO_DEADLINE);

    assertEquals(4, transport.timeouts.size());
    assertEquals(4, budget.permits, "one permit per request sent, not one per logical call");
  }

  @Test
  void a401ReSend_takesAPermitToo_andRefreshesOnce() {
    Scripted transport = new Scripted();
    transport.failures.add(http(401, Code.UNAUTHENTICATED, null));
    CountingBudget budget = new CountingBudget();
    OperationsApi api = TestClients.retrying(transport, RetrySettings.DEFAULT, l -> budget, time);

    api.get(OP, NO_DEADLINE);

    assertEquals(2, budget.permits);
    assertEquals(1, transport.refreshes);
  }

  @Test
  void a429_tellsTheBudgetAtOnce_withTheRetryAfter() {
    Scripted transport = new Scripted();
    transport.failures.add(http(429, Code.RESOURCE_EXHAUSTED, Duration.ofSeconds(3)));
    transport.failures.add(http(429, Code.RESOURCE_EXHAUSTED, null));
    CountingBudget budget = new CountingBudget();
    OperationsApi api = TestClients.retrying(transport, RetrySettings.DEFAULT, l -> budget, time);

    api.cancel(OP, NO_DEADLINE);

    assertEquals(java.util.Arrays.asList(Duration.ofSeconds(3), null), budget.throttled);
    assertEquals(1, budget.successes);
  }

  @Test
  void noPermitBeforeTheDeadline_isOutOfTime_andSendsNothing() {
    Scripted transport = new Scripted();
    CountingBudget budget = new CountingBudget();
    budget.refuse = true;
    OperationsApi api = TestClients.retrying(transport, RetrySettings.DEFAULT, l -> budget, time);

    ApiException e =
        assertThrows(
            ApiException.class,
            () -> api.cancel(OP, time.nanoTime() + Duration.ofSeconds(10).toNanos()));

    assertTrue(e.isOutOfTime());
    assertEquals(List.of(), transport.timeouts);
  }

  @Test
  void eachAttemptsTimeout_isWhatTheDeadlineLeaves_recomputedPerAttempt() {
    Scripted transport = new Scripted();
    transport.latency = Duration.ofSeconds(4);
    transport.failures.add(http(503, Code.UNAVAILABLE, null));
    transport.failures.add(http(401, Code.UNAUTHENTICATED, null));
    RetrySettings settings =
        RetrySettings.newBuilder()
            .setPerCallTimeout(Duration.ofSeconds(30))
            .setInitialRetryDelay(Duration.ofSeconds(2))
            .build();
    OperationsApi api = TestClients.retrying(transport, settings, Budgets.unlimited(), time);

    api.cancel(OP, time.nanoTime() + Duration.ofSeconds(20).toNanos());

    // 20 s; 4 s answer + 1 s backoff (jitter 0.5 of 2 s) later 15 s; the 401 re-send 4 s later 11
    // s.
    assertEquals(
        List.of(Duration.ofSeconds(20), Duration.ofSeconds(15), Duration.ofSeconds(11)),
        transport.timeouts);
  }

  @Test
  void budgetsFactory_givesOneBudgetPerLocation() {
    Budgets budgets = new Budgets(600, time, time);
    LocationName a = LocationName.parse("projects/proj-a/locations/us-east1");
    LocationName b = LocationName.parse("projects/proj-a/locations/eu");
    budgets.apply(a).onThrottled(null);
    assertTrue(budgets.apply(a).requestsPerMinute() < budgets.apply(b).requestsPerMinute());
    assertTrue(budgets.apply(a) == budgets.apply(a));
  }
}
