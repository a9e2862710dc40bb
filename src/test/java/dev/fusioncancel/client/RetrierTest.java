package dev.fusioncancel.client;

import static dev.fusioncancel.client.TestClients.NO_DEADLINE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.rpc.RpcStatus;
import dev.fusioncancel.time.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RetrierTest {
  final FakeTime time = new FakeTime();

  static ApiException error(Code code) {
    return new ApiException(new RpcStatus(code, "scripted"), code.httpStatus(), null, 1, null);
  }

  Retrier retrier(RetrySettings settings, double jitter) {
    return new Retrier(settings, ExponentialBackoff.of(settings, () -> jitter), time, time);
  }

  @Test
  void run_whenFirstAttemptSucceeds_neitherRetriesNorSleeps() {
    assertEquals("ok", retrier(RetrySettings.DEFAULT, 1.0).run(NO_DEADLINE, end -> "ok"));
    assertTrue(time.sleeps().isEmpty());
  }

  @Test
  void run_withDefaultsAndFullJitterCeiling_sleeps200msDoublingUpToMaxAttempts() {
    AtomicInteger calls = new AtomicInteger();

    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                retrier(RetrySettings.DEFAULT, 1.0)
                    .run(
                        NO_DEADLINE,
                        end -> {
                          calls.incrementAndGet();
                          throw error(Code.UNAVAILABLE);
                        }));

    assertEquals(6, calls.get());
    assertEquals(6, e.attempts());
    assertEquals(
        List.of(200L, 400L, 800L, 1600L, 3200L),
        time.sleeps().stream().map(Duration::toMillis).toList());
  }

  @ParameterizedTest
  @EnumSource(
      value = Code.class,
      names = {
        "INVALID_ARGUMENT",
        "FAILED_PRECONDITION",
        "PERMISSION_DENIED",
        "NOT_FOUND",
        "ABORTED",
        "ALREADY_EXISTS",
        "UNIMPLEMENTED",
        "UNAUTHENTICATED",
        "UNKNOWN",
        "CANCELLED",
        "DATA_LOSS",
        "OUT_OF_RANGE"
      })
  void run_onFinalCode_triesOnce(Code code) {
    AtomicInteger calls = new AtomicInteger();

    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                retrier(RetrySettings.DEFAULT, 1.0)
                    .run(
                        NO_DEADLINE,
                        end -> {
                          calls.incrementAndGet();
                          throw error(code);
                        }));

    assertEquals(code, e.code());
    assertEquals(1, calls.get());
    assertEquals(1, e.attempts());
  }

  @ParameterizedTest
  @EnumSource(
      value = Code.class,
      names = {"UNAVAILABLE", "RESOURCE_EXHAUSTED", "DEADLINE_EXCEEDED"})
  void run_onTransientCodeThenSuccess_retries(Code code) {
    AtomicInteger calls = new AtomicInteger();

    String result =
        retrier(RetrySettings.DEFAULT, 0.0)
            .run(
                NO_DEADLINE,
                end -> {
                  if (calls.incrementAndGet() < 3) {
                    throw error(code);
                  }
                  return "ok";
                });

    assertEquals("ok", result);
    assertEquals(3, calls.get());
  }

  @Test
  void run_onInternal_retriesOnlyMaxInternalRetriesTimes() {
    AtomicInteger calls = new AtomicInteger();
    RetrySettings settings = RetrySettings.newBuilder().setMaxInternalRetries(2).build();

    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                retrier(settings, 0.0)
                    .run(
                        NO_DEADLINE,
                        end -> {
                          calls.incrementAndGet();
                          throw error(Code.INTERNAL);
                        }));

    assertEquals(3, calls.get());
    assertEquals(3, e.attempts());
  }

  @Test
  void run_passesEachAttemptWhatIsLeftOfTheTotalTimeout() {
    List<Duration> lefts = new ArrayList<>();
    RetrySettings settings =
        RetrySettings.newBuilder()
            .setTotalTimeout(Duration.ofSeconds(10))
            .setInitialRetryDelay(Duration.ofSeconds(1))
            .setMaxAttempts(3)
            .build();

    assertThrows(
        ApiException.class,
        () ->
            retrier(settings, 1.0)
                .run(
                    NO_DEADLINE,
                    end -> {
                      lefts.add(Duration.ofNanos(end - time.nanoTime()));
                      time.advance(Duration.ofSeconds(1)); // the attempt itself took 1 s
                      throw error(Code.UNAVAILABLE);
                    }));

    // 10 s; then 1 s attempt + 1 s sleep later, 8 s; then 1 s + 2 s later, 5 s.
    assertEquals(
        List.of(Duration.ofSeconds(10), Duration.ofSeconds(8), Duration.ofSeconds(5)), lefts);
  }

  @Test
  void run_neverSleepsAcrossTheTotalTimeout() {
    RetrySettings settings =
        RetrySettings.newBuilder()
            .setTotalTimeout(Duration.ofSeconds(5))
            .setInitialRetryDelay(Duration.ofSeconds(1))
            .setMaxAttempts(50)
            .build();

    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                retrier(settings, 1.0)
                    .run(
                        NO_DEADLINE,
                        end -> {
                          throw error(Code.UNAVAILABLE);
                        }));

    // 1 + 2 = 3 s slept; 4 s more would end at 7 s > 5 s.
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), time.sleeps());
    assertEquals(3, e.attempts());
  }

  @Test
  void delayAfter_retryAfterShorterThanBackoff_usesTheBackoff() {
    RetrySettings settings =
        RetrySettings.newBuilder().setInitialRetryDelay(Duration.ofSeconds(4)).build();
    ApiException e =
        new ApiException(
            new RpcStatus(Code.RESOURCE_EXHAUSTED, "quota"), 429, Duration.ofSeconds(1), 1, null);

    assertEquals(Duration.ofSeconds(4), retrier(settings, 1.0).delayAfter(e, 1, 0).orElseThrow());
  }

  @Test
  void run_whenInterruptedWhileSleeping_throwsCancelledAndRestoresTheFlag() {
    Retrier retrier =
        new Retrier(
            RetrySettings.DEFAULT,
            ExponentialBackoff.of(RetrySettings.DEFAULT, () -> 1.0),
            time,
            d -> {
              throw new InterruptedException();
            });
    try {
      ApiException e =
          assertThrows(
              ApiException.class,
              () ->
                  retrier.run(
                      NO_DEADLINE,
                      end -> {
                        throw error(Code.UNAVAILABLE);
                      }));

      assertEquals(Code.CANCELLED, e.code());
      assertEquals(1, e.attempts());
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void run_whenTheCallersDeadlineLeavesNoRoomForTheNextAttempt_isOutOfTimeNotExhausted() {
    long deadline = time.nanoTime() + Duration.ofMillis(300).toNanos();
    List<Duration> lefts = new ArrayList<>();

    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                retrier(RetrySettings.DEFAULT, 1.0)
                    .run(
                        deadline,
                        end -> {
                          lefts.add(Duration.ofNanos(end - time.nanoTime()));
                          throw error(Code.UNAVAILABLE);
                        }));

    // 200 ms sleep fits in 300 ms, the next 400 ms does not: the deadline, not the retries, ended
    // it.
    assertTrue(e.isOutOfTime());
    assertFalse(e.retryable());
    assertEquals(2, e.attempts());
    assertEquals(List.of(Duration.ofMillis(300), Duration.ofMillis(100)), lefts);
  }

  @Test
  void run_whenItsOwnTotalTimeoutEndsIt_isExhaustedNotOutOfTime() {
    RetrySettings settings =
        RetrySettings.newBuilder()
            .setTotalTimeout(Duration.ofSeconds(5))
            .setInitialRetryDelay(Duration.ofSeconds(1))
            .setMaxAttempts(50)
            .build();

    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                retrier(settings, 1.0)
                    .run(
                        time.nanoTime() + Duration.ofSeconds(60).toNanos(),
                        end -> {
                          throw error(Code.UNAVAILABLE);
                        }));

    assertFalse(e.isOutOfTime());
    assertEquals(Code.UNAVAILABLE, e.code());
  }

  @Test
  void run_withNoTimeLeft_sendsNothing() {
    AtomicInteger calls = new AtomicInteger();
    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                retrier(RetrySettings.DEFAULT, 1.0)
                    .run(
                        time.nanoTime(),
                        end -> {
                          calls.incrementAndGet();
                          return "sent";
                        }));
    assertTrue(e.isOutOfTime());
    assertEquals(0, calls.get());
  }
}
