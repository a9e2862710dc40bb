package dev.fusioncancel.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.InMemoryOperationsApi;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.client.OperationPage;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.rpc.RpcStatus;
import dev.fusioncancel.time.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final FakeTime time = new FakeTime();

  @Test
  void acquire_nCalls_takeTheConfiguredRateInVirtualTime() throws Exception {
    RateLimiter limiter = new RateLimiter(60, 1, time, time);
    Instant start = time.instant();
    for (int i = 0; i < 101; i++) {
      limiter.acquire();
    }
    // One call goes at once (burst 1), then one per second.
    assertEquals(Duration.ofSeconds(100), Duration.between(start, time.instant()));
  }

  @Test
  void acquire_defaultBudget_540PerMinuteAfterBurst() throws Exception {
    int burst = RateLimiter.defaultBurst(540);
    assertEquals(9, burst);
    RateLimiter limiter = new RateLimiter(540, burst, time, time);
    Instant start = time.instant();
    for (int i = 0; i < 540 + burst; i++) {
      limiter.acquire();
    }
    long millis = Duration.between(start, time.instant()).toMillis();
    assertTrue(Math.abs(millis - 60_000) <= 10, "took " + millis + " ms");
  }

  @Test
  void acquire_afterIdleSpell_allowsOnlyTheBurst() throws Exception {
    RateLimiter limiter = new RateLimiter(60, 5, time, time);
    time.advance(Duration.ofHours(1));
    Instant start = time.instant();
    for (int i = 0; i < 5; i++) {
      limiter.acquire();
    }
    assertEquals(start, time.instant());
    limiter.acquire();
    assertEquals(start.plusSeconds(1), time.instant());
  }

  @Test
  void onThrottled_slowsDown_honoursRetryAfter_thenRecovers() throws Exception {
    RateLimiter limiter = new RateLimiter(600, 1, time, time);
    limiter.acquire();
    limiter.onThrottled(Duration.ofSeconds(7));
    assertEquals(420.0, limiter.requestsPerMinute(), 0.001);
    Instant before = time.instant();
    limiter.acquire();
    assertTrue(
        !time.instant().isBefore(before.plusSeconds(7)), "waits out Retry-After: " + time.sleeps());

    for (int i = 0; i < 10; i++) {
      limiter.onThrottled(null);
    }
    assertEquals(60.0, limiter.requestsPerMinute(), 0.001, "never below 10% of the budget");

    for (int i = 0; i < 200; i++) {
      limiter.onSuccess();
    }
    assertEquals(600.0, limiter.requestsPerMinute(), 0.001, "recovers to the budget, no more");
  }

  @Test
  void acquireBefore_waitPastTheDeadline_takesNothingAndReturnsAtOnce() throws Exception {
    RateLimiter limiter = new RateLimiter(60, 1, time, time);
    limiter.onThrottled(Duration.ofSeconds(120));
    Instant start = time.instant();
    assertFalse(limiter.acquireBefore(start.plusSeconds(60)));
    assertEquals(start, time.instant(), "did not sleep");
    assertTrue(limiter.acquireBefore(start.plusSeconds(300)));
    assertEquals(start.plusSeconds(120), time.instant());
  }

  @Test
  void decorator_callThatCannotStartBeforeNotAfter_failsAsOutOfTimeWithoutCalling() {
    InMemoryOperationsApi memory = new InMemoryOperationsApi();
    RateLimiters limiters = new RateLimiters(60, 1, time, time);
    OperationName op = OperationName.parse("projects/proj-a/locations/us-east1/operations/o1");
    limiters.of(op.parent()).onThrottled(Duration.ofMinutes(5));
    RateLimitedOperationsApi api =
        new RateLimitedOperationsApi(memory, limiters, time.instant().plusSeconds(10));
    ApiException e = assertThrows(ApiException.class, () -> api.get(op));
    assertTrue(RateLimitedOperationsApi.outOfTime(e));
    assertEquals(Code.DEADLINE_EXCEEDED, e.code());
    assertFalse(api.cancelIfBefore(op, time.instant().plusSeconds(60)));
    assertEquals(List.of(), memory.calls());
  }

  @Test
  void decorator_reports429ToTheLocationLimiter_andTakesAPermitPerCall() throws Exception {
    AtomicInteger throttleLeft = new AtomicInteger(1);
    InMemoryOperationsApi memory = new InMemoryOperationsApi();
    String name = "projects/proj-a/locations/us-east1/operations/o1";
    memory.put(InMemoryOperationsApi.running(name, "update", "t", time.instant()));
    OperationsApi throttling =
        new OperationsApi() {
          @Override
          public void cancel(OperationName n) {
            if (throttleLeft.getAndDecrement() > 0) {
              throw new ApiException(
                  new RpcStatus(Code.RESOURCE_EXHAUSTED, "quota"),
                  429,
                  Duration.ofSeconds(3),
                  4,
                  null);
            }
            memory.cancel(n);
          }

          @Override
          public Operation get(OperationName n) {
            return memory.get(n);
          }

          @Override
          public OperationPage list(LocationName parent, int pageSize, String pageToken) {
            return memory.list(parent, pageSize, pageToken);
          }
        };
    RateLimiters limiters = new RateLimiters(600, 1, time, time);
    RateLimitedOperationsApi api = new RateLimitedOperationsApi(throttling, limiters);
    OperationName op = OperationName.parse(name);
    ApiException e = assertThrows(ApiException.class, () -> api.cancel(op));
    assertEquals(Code.RESOURCE_EXHAUSTED, e.code());
    RateLimiter east = limiters.of(op.parent());
    assertEquals(420.0, east.requestsPerMinute(), 0.001);
    assertEquals(
        600.0,
        limiters.of(LocationName.parse("projects/proj-a/locations/eu")).requestsPerMinute(),
        0.001,
        "other locations unaffected");

    Instant before = time.instant();
    api.cancel(op);
    assertTrue(!time.instant().isBefore(before.plusSeconds(3)), "Retry-After honoured");
    assertTrue(east.requestsPerMinute() > 420.0, "a success recovers some rate");
    api.get(op);
    api.listAll(op.parent(), 10);
    assertEquals(3, memory.calls().size());
  }
}
