package dev.fusioncancel.bulk;

import dev.fusioncancel.config.Config;
import dev.fusioncancel.outcome.PollSettings;
import dev.fusioncancel.time.Durations;
import java.time.Duration;

/**
 * How a bulk run uses its time and threads; separate from the algorithm so tests can shrink it.
 *
 * @param workers how many calls may be in flight at once (all locations together)
 * @param pageSize the {@code pageSize} of every {@code operations.list} call
 * @param deadline the function's timeout (Cloud Functions event functions: 540 s)
 * @param safetyMargin kept free at the end of the deadline for publishing the events
 * @param checkReserve kept free before the check phase for the check calls themselves
 * @param poll how often cancelled operations are checked again while they are still running
 */
public record BulkSettings(
    int workers,
    int pageSize,
    Duration deadline,
    Duration safetyMargin,
    Duration checkReserve,
    PollSettings poll) {

  /** Eight workers, pages of 1000, the 540 s event function timeout less 30 s for publishing. */
  public static final BulkSettings DEFAULT =
      new BulkSettings(
          8,
          1000,
          Config.MAX_BULK_DEADLINE,
          Duration.ofSeconds(30),
          Duration.ofSeconds(10),
          PollSettings.DEFAULT);

  public BulkSettings {
    if (workers < 1 || pageSize < 1) {
      throw new IllegalArgumentException("workers and pageSize must be at least 1");
    }
    if (deadline.compareTo(safetyMargin.plus(checkReserve)) <= 0) {
      throw new IllegalArgumentException("deadline must exceed safetyMargin + checkReserve");
    }
  }

  /** The shortest deadline a run can be planned in. */
  public static final Duration MIN_DEADLINE = Config.MIN_BULK_DEADLINE;

  /**
   * The default settings planned for another function timeout: for a function deployed with a
   * timeout below 540 s, and for tests. Below 540 s the publishing margin and the check reserve
   * shrink with the deadline (a quarter and a twelfth of it, never more than the defaults), so a
   * short run still keeps time for its events.
   *
   * @throws IllegalArgumentException when the deadline is below {@link #MIN_DEADLINE} or above the
   *     default
   */
  public static BulkSettings forDeadline(Duration deadline) {
    if (deadline.compareTo(MIN_DEADLINE) < 0 || deadline.compareTo(DEFAULT.deadline) > 0) {
      throw new IllegalArgumentException(
          "deadline must be between "
              + MIN_DEADLINE.toSeconds()
              + "s and "
              + DEFAULT.deadline.toSeconds()
              + "s, got "
              + deadline.toMillis()
              + "ms");
    }
    Duration margin = Durations.min(DEFAULT.safetyMargin, deadline.dividedBy(4));
    Duration reserve = Durations.min(DEFAULT.checkReserve, deadline.dividedBy(12));
    return new BulkSettings(
        DEFAULT.workers, DEFAULT.pageSize, deadline, margin, reserve, DEFAULT.poll);
  }

  /** The same settings with another deadline. */
  public BulkSettings withDeadline(Duration d) {
    return new BulkSettings(workers, pageSize, d, safetyMargin, checkReserve, poll);
  }

  /** The same settings with another number of workers. */
  public BulkSettings withWorkers(int n) {
    return new BulkSettings(n, pageSize, deadline, safetyMargin, checkReserve, poll);
  }

  /** The same settings with another page size. */
  public BulkSettings withPageSize(int n) {
    return new BulkSettings(workers, n, deadline, safetyMargin, checkReserve, poll);
  }

  /**
   * Workers for a run: at least {@link #workers()}, and enough by Little's law (see {@link
   * PoolSizing}) that the per-location budget, not the pool, bounds throughput when calls take
   * {@code latency} on average (the budget is per location, so more locations allow more calls in
   * flight). Capped by the memory bound {@code maxWorkers}.
   */
  public int workersFor(int requestsPerMinute, int locations, Duration latency, int maxWorkers) {
    double callsPerSecond = requestsPerMinute / 60.0 * Math.max(1, locations);
    return PoolSizing.workers(
        callsPerSecond, latency, Math.min(workers, maxWorkers), Math.max(1, maxWorkers));
  }
}
