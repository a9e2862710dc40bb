package dev.fusioncancel.outcome;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Cancels one operation and finds out what really happened: cancel, then fetch the operation (even
 * after UNIMPLEMENTED or FAILED_PRECONDITION, because it may be done), then poll with backoff until
 * it is done or the wait ends.
 */
public final class Canceller {
  private final OperationsApi api;
  private final Clock clock;
  private final Sleeper sleeper;
  private final PollSettings poll;

  public Canceller(OperationsApi api, Clock clock, Sleeper sleeper, PollSettings poll) {
    this.api = api;
    this.clock = clock;
    this.sleeper = sleeper;
    this.poll = poll;
  }

  /** Sends {@code :cancel} and records the answer; never throws for an API error. */
  public CancelAttempt sendCancel(OperationName name) {
    try {
      api.cancel(name);
      return CancelAttempt.ACCEPTED;
    } catch (ApiException e) {
      return CancelAttempt.failed(e);
    }
  }

  /**
   * Cancels and checks one operation.
   *
   * @param wait how long to keep checking for the operation to finish; zero means one GET
   */
  public CancelResult cancel(OperationName name, Duration wait) throws InterruptedException {
    CancelAttempt attempt = sendCancel(name);
    return check(name, attempt, wait);
  }

  /** Fetches the operation after a cancel attempt, polling until done or the wait ends. */
  public CancelResult check(OperationName name, CancelAttempt attempt, Duration wait)
      throws InterruptedException {
    if (!attempt.worthChecking()) {
      return result(name, attempt, null, null);
    }
    Instant deadline = clock.instant().plus(wait);
    Duration delay = poll.initialDelay();
    while (true) {
      Operation op;
      try {
        op = api.get(name);
      } catch (ApiException e) {
        return result(name, attempt, null, e);
      }
      Instant now = clock.instant();
      if (op.done() || !now.isBefore(deadline)) {
        return result(name, attempt, op, null);
      }
      Duration left = Duration.between(now, deadline);
      Duration sleep = delay.compareTo(left) > 0 ? left : delay;
      sleeper.sleep(sleep);
      delay = poll.next(delay);
    }
  }

  private CancelResult result(
      OperationName name, CancelAttempt attempt, Operation op, ApiException checkError) {
    Verdict verdict = OutcomeClassifier.classify(attempt, op, checkError);
    return new CancelResult(name.toString(), attempt, op, checkError, verdict, clock.instant());
  }
}
