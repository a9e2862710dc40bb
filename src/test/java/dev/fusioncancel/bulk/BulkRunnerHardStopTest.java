package dev.fusioncancel.bulk;

import static dev.fusioncancel.bulk.Fixtures.P;
import static dev.fusioncancel.bulk.Fixtures.op;
import static dev.fusioncancel.bulk.Fixtures.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.InMemoryOperationsApi;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.client.OperationPage;
import dev.fusioncancel.client.OperationsTransport;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.outcome.PollSettings;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.time.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A call that outlasts the run's hard stop (a slow upstream) must not overrun the deadline. */
class BulkRunnerHardStopTest {
  private final FakeTime time = new FakeTime();
  private final InMemoryOperationsApi memory = new InMemoryOperationsApi();
  private final List<Long> requestStarts = new ArrayList<>();

  /**
   * The in-memory API, where cancelling {@code slow} never answers: like the real client, the
   * request gives up after the timeout it was given (virtual time passes meanwhile).
   */
  private final OperationsTransport api =
      new OperationsTransport() {
        @Override
        public void cancel(OperationName name, Duration timeout) {
          requestStarts.add(time.nanoTime());
          if (name.toString().endsWith("/slow")) {
            time.advance(timeout);
            throw ApiException.transport(Code.DEADLINE_EXCEEDED, "no answer in " + timeout, null);
          }
          memory.cancel(name, timeout);
        }

        @Override
        public Operation get(OperationName name, Duration timeout) {
          requestStarts.add(time.nanoTime());
          return memory.get(name, timeout);
        }

        @Override
        public OperationPage list(
            LocationName parent, int pageSize, String pageToken, Duration timeout) {
          requestStarts.add(time.nanoTime());
          return memory.list(parent, pageSize, pageToken, timeout);
        }
      };

  @Test
  void run_whenACancelOutlastsTheHardStop_returnsInTime_andLeavesItToTheFollowUp()
      throws Exception {
    String fast = op(P, "fast");
    String slow = op(P, "slow");
    running(memory, fast, "update", time.instant(), Duration.ofHours(1));
    running(memory, slow, "update", time.instant(), Duration.ofHours(1));
    BulkSettings settings =
        new BulkSettings(
            2,
            1000,
            Duration.ofSeconds(20),
            Duration.ofSeconds(5),
            Duration.ofSeconds(2),
            PollSettings.DEFAULT);
    BulkRunner runner = Fixtures.runner(Fixtures.config("", 600_000), api, time, settings);
    long t0 = time.nanoTime();
    BulkReport report =
        runner.run(
            Fixtures.parse("{\"operations\":[\"" + fast + "\",\"" + slow + "\"],\"wait\":\"0s\"}"),
            "req-1",
            time.instant(),
            t0);
    long hardStop = t0 + settings.deadline().minus(settings.safetyMargin()).toNanos();
    assertTrue(time.nanoTime() <= hardStop, "returned by the hard stop");
    assertTrue(
        requestStarts.stream().allMatch(t -> t < hardStop),
        "no request starts after the hard stop");
    assertEquals(List.of(slow), report.remaining(), "the unanswered cancel goes to the follow-up");
    assertEquals(
        List.of(Outcome.CANCELLED), report.results().stream().map(CancelResult::outcome).toList());
  }
}
