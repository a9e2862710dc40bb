package dev.fusioncancel.bulk;

import static dev.fusioncancel.bulk.Fixtures.P;
import static dev.fusioncancel.bulk.Fixtures.op;
import static dev.fusioncancel.bulk.Fixtures.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.client.InMemoryOperationsApi;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.client.OperationPage;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.outcome.PollSettings;
import dev.fusioncancel.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A call that outlasts the run's hard stop (a slow upstream) must not overrun the deadline. */
class BulkRunnerHardStopTest {
  private final InMemoryOperationsApi memory = new InMemoryOperationsApi();

  /** The in-memory API, where cancelling {@code slow} takes 20 s. */
  private final OperationsApi api =
      new OperationsApi() {
        @Override
        public void cancel(OperationName name) {
          if (name.toString().endsWith("/slow")) {
            try {
              Thread.sleep(20_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw dev.fusioncancel.client.ApiException.transport(
                  dev.fusioncancel.rpc.Code.CANCELLED, "interrupted", e);
            }
          }
          memory.cancel(name);
        }

        @Override
        public Operation get(OperationName name) {
          return memory.get(name);
        }

        @Override
        public OperationPage list(LocationName parent, int pageSize, String pageToken) {
          return memory.list(parent, pageSize, pageToken);
        }
      };

  @Test
  void run_whenACancelOutlastsTheHardStop_returnsInTime_andLeavesItToTheFollowUp()
      throws Exception {
    Instant now = Instant.now();
    String fast = op(P, "fast");
    String slow = op(P, "slow");
    running(memory, fast, "update", now, Duration.ofHours(1));
    running(memory, slow, "update", now, Duration.ofHours(1));
    BulkSettings settings =
        new BulkSettings(
            2,
            1000,
            Duration.ofMillis(2000),
            Duration.ofMillis(500),
            Duration.ofMillis(100),
            PollSettings.DEFAULT);
    BulkRunner runner =
        new BulkRunner(
            Fixtures.config("", 600_000), api, Clock.systemUTC(), Sleeper.SYSTEM, settings);
    long t0 = System.nanoTime();
    BulkReport report =
        runner.run(
            Fixtures.parse("{\"operations\":[\"" + fast + "\",\"" + slow + "\"],\"wait\":\"0s\"}"),
            "req-1");
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertTrue(
        took.compareTo(settings.deadline().minus(settings.safetyMargin()).plusMillis(300)) < 0,
        "returned by the hard stop, not after the 20 s call: " + took);
    assertEquals(List.of(slow), report.remaining(), "the unanswered cancel goes to the follow-up");
    assertEquals(
        List.of(Outcome.CANCELLED), report.results().stream().map(CancelResult::outcome).toList());
  }
}
