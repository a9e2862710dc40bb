package dev.fusioncancel.bulk;

import dev.fusioncancel.events.OutcomeSink;
import dev.fusioncancel.events.PublishException;
import dev.fusioncancel.events.PublishTracker;
import dev.fusioncancel.events.TopicSinks;
import dev.fusioncancel.log.CloudLog;
import dev.fusioncancel.name.ProjectName;
import dev.fusioncancel.outcome.CancelResult;
import dev.fusioncancel.outcome.Outcome;
import dev.fusioncancel.outcome.OutcomeEvent;
import dev.fusioncancel.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Handles one bulk message end to end: parse, run, then publish one event per operation, the
 * follow-up for unfinished work, and the summary, awaiting every publish. A message that is not a
 * valid request gives one summary with {@code error} and is not retried; a failed publish throws,
 * so Pub/Sub delivers the message again (and the same eventIds are produced).
 */
public final class BulkService {
  private final BulkRunner runner;
  private final OutcomeSink outcomes;
  private final TopicSinks topics;
  private final Clock clock;
  private final Ticker ticker;
  private final Duration deadline;

  /**
   * @param deadline the function's timeout: every publish is awaited within it, counted from the
   *     start of {@link #handle}
   */
  public BulkService(
      BulkRunner runner,
      OutcomeSink outcomes,
      TopicSinks topics,
      Clock clock,
      Ticker ticker,
      Duration deadline) {
    this.runner = runner;
    this.outcomes = outcomes;
    this.topics = topics;
    this.clock = clock;
    this.ticker = ticker;
    this.deadline = deadline;
  }

  /**
   * Handles a message.
   *
   * @param data the message data (JSON bytes)
   * @param messageId the Pub/Sub message id: the request id, unless this is a follow-up
   * @param triggerTopic the topic the message came from, where a follow-up goes
   * @throws PublishException when an event could not be published (the message should be retried)
   */
  public void handle(byte[] data, String messageId, Optional<String> triggerTopic)
      throws PublishException, InterruptedException {
    handle(data, messageId, Optional.empty(), triggerTopic);
  }

  /**
   * Handles a message published at {@code publishedAt}.
   *
   * @param publishedAt when the message was published (Pub/Sub {@code publishTime}); the request's
   *     reference time, unless it is a follow-up carrying the original's. Empty: now.
   */
  public void handle(
      byte[] data, String messageId, Optional<Instant> publishedAt, Optional<String> triggerTopic)
      throws PublishException, InterruptedException {
    long startNanos = ticker.nanoTime();
    Instant startedAt = clock.instant();
    BulkRequest request;
    try {
      request = BulkRequestJson.parse(data);
    } catch (InvalidRequestException e) {
      reportInvalid(messageId, e.getMessage(), startedAt, startNanos);
      return;
    }
    String requestId = request.requestIdOr(messageId);
    Instant reference = request.referenceTime(publishedAt.orElse(startedAt));
    outcomes.prepare();
    triggerTopic.ifPresent(t -> topics.forTopic(t).prepare());
    BulkReport report;
    try {
      report = runner.run(request, requestId, reference, startNanos);
    } catch (InvalidRequestException e) {
      reportInvalid(requestId, e.getMessage(), startedAt, startNanos);
      return;
    }
    publish(report, triggerTopic, reference, publishBy(startNanos));
  }

  /**
   * The last moment a publish may still be awaited: the function's deadline less a little slack (a
   * twentieth, at most 1 s) for returning to the framework before the platform's timeout.
   */
  private long publishBy(long startNanos) {
    long slack = Math.min(1_000_000_000L, deadline.toNanos() / 20);
    return startNanos + deadline.toNanos() - slack;
  }

  /** Publishes the one summary event of a message that is not a valid request. */
  public void reportInvalid(String requestId, String error, Instant startedAt)
      throws PublishException, InterruptedException {
    reportInvalid(requestId, error, startedAt, ticker.nanoTime());
  }

  private void reportInvalid(String requestId, String error, Instant startedAt, long startNanos)
      throws PublishException, InterruptedException {
    CloudLog.warning(
        "bulk request refused: " + error, Map.of("requestId", requestId, "type", "summary"));
    BulkSummary summary = BulkSummary.invalid(requestId, error, startedAt, clock.instant());
    PublishTracker tracker = new PublishTracker(ticker);
    tracker.publish(outcomes, summary.toJson().toString(), summary.attributes());
    tracker.awaitAll(publishBy(startNanos));
  }

  /**
   * Publishes this part's events and summary, waits until Pub/Sub has confirmed every one, and only
   * then the follow-up: a delivery that fails before that publishes no follow-up, so a redelivery
   * can never produce a second copy of the next part.
   */
  private void publish(
      BulkReport report, Optional<String> triggerTopic, Instant reference, long publishBy)
      throws PublishException, InterruptedException {
    BulkRequest request = report.request();
    String requestId = report.requestId();
    PublishTracker tracker = new PublishTracker(ticker);
    List<CancelResult> results = new ArrayList<>(report.results());
    Map<String, String> parentErrors = new java.util.LinkedHashMap<>(report.parentErrors());
    Optional<BulkSummary.FollowUp> followUp = Optional.empty();
    BulkRequest next = null;
    if (report.unfinished()) {
      if (triggerTopic.isPresent() && request.part() < BulkRequest.Continuation.MAX_PART) {
        List<ProjectName> wildcards = report.scope().unfinished();
        next =
            request.followUp(
                requestId,
                report.remaining(),
                report.toCheck(),
                report.relist(),
                wildcards,
                reference);
        List<String> parents = new ArrayList<>();
        report.relist().forEach(p -> parents.add(p.toString()));
        wildcards.forEach(p -> parents.add(p.wildcardParent()));
        followUp =
            Optional.of(
                new BulkSummary.FollowUp(
                    triggerTopic.get(),
                    null,
                    next.part(),
                    report.remaining().size() + report.toCheck().size(),
                    parents));
      } else {
        String why =
            triggerTopic.isEmpty()
                ? "the trigger topic is unknown, so no follow-up could be sent"
                : "the request already ran in " + request.part() + " parts; giving up";
        Instant now = clock.instant();
        for (String name : report.remaining()) {
          results.add(
              CancelResult.withoutCall(
                  name, Outcome.ERROR, "not attempted before the deadline: " + why, now));
        }
        for (String name : report.toCheck().keySet()) {
          results.add(
              CancelResult.withoutCall(
                  name,
                  Outcome.ERROR,
                  "cancel sent but not checked before the deadline: " + why,
                  now));
        }
        for (dev.fusioncancel.name.LocationName p : report.relist()) {
          parentErrors.put(p.toString(), "not listed before the deadline: " + why);
        }
        for (ProjectName p : report.scope().unfinished()) {
          parentErrors.put(p.wildcardParent(), "locations not listed before the deadline: " + why);
        }
      }
    }
    for (CancelResult r : results) {
      OutcomeEvent event = OutcomeEvent.of(requestId, r, request.dryRun());
      tracker.publish(outcomes, event.toJson().toString(), event.attributes());
    }
    BulkSummary summary = BulkSummary.of(report, results, followUp, parentErrors, clock.instant());
    tracker.publish(outcomes, summary.toJson().toString(), summary.attributes());
    tracker.awaitAll(publishBy);
    if (next != null) {
      publishFollowUp(report, next, triggerTopic.get(), publishBy);
    }
    CloudLog.info(
        "bulk request done: " + summary.toJson(),
        Map.of("requestId", requestId, "type", "summary"));
  }

  /** Publishes the follow-up to the trigger topic and waits for Pub/Sub to take it. */
  private void publishFollowUp(BulkReport report, BulkRequest next, String topic, long publishBy)
      throws PublishException, InterruptedException {
    OutcomeSink sink = topics.forTopic(topic);
    PublishTracker tracker = new PublishTracker(ticker);
    CompletableFuture<String> f =
        tracker.publish(
            sink,
            BulkRequestJson.toJson(next).toString(),
            Map.of("requestId", report.requestId(), "type", "followUp"));
    tracker.awaitAll(publishBy);
    CloudLog.info(
        "deadline near: "
            + (report.remaining().size() + report.toCheck().size())
            + " operations and "
            + report.relist().size()
            + " parents continue in follow-up part "
            + next.part(),
        Map.of("requestId", report.requestId(), "followUpMessageId", f.getNow("")));
  }
}
