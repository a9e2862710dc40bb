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

class RateLimitedOperationsApiTest {
  private final FakeTime time = new FakeTime();

  @Test
  void decorator_callThatCannotStartBeforeNotAfter_failsAsOutOfTimeWithoutCalling() {
    InMemoryOperationsApi memory = new InMemoryOperationsApi();
    RateLimiters limiters = new RateLimiters(60, time, time, time);
    OperationName op = OperationName.parse("projects/proj-a/locations/us-east1/operations/o1");
    limiters.of(op.parent()).onThrottled(Duration.ofMinutes(5));
    RateLimitedOperationsApi api =
        new RateLimitedOperationsApi(
            memory, limiters, time.instant().plusSeconds(10), new PoolSizing());
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
    RateLimiters limiters = new RateLimiters(600, time, time, time);
    RateLimitedOperationsApi api = new RateLimitedOperationsApi(throttling, limiters);
    OperationName op = OperationName.parse(name);
    ApiException e = assertThrows(ApiException.class, () -> api.cancel(op));
    assertEquals(Code.RESOURCE_EXHAUSTED, e.code());
    dev.fusioncancel.budget.Budget east = limiters.of(op.parent());
    assertEquals(
        300.0, east.requestsPerMinute(), 0.001, "halved: only one request was in the window");
    assertEquals(
        600.0,
        limiters.of(LocationName.parse("projects/proj-a/locations/eu")).requestsPerMinute(),
        0.001,
        "other locations unaffected");

    Instant before = time.instant();
    api.cancel(op);
    assertTrue(!time.instant().isBefore(before.plusSeconds(3)), "Retry-After honoured");
    assertTrue(east.requestsPerMinute() > 300.0, "a success recovers some rate");
    api.get(op);
    api.listAll(op.parent(), 10);
    assertEquals(3, memory.calls().size());
  }
}
