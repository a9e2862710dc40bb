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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
  private final Duration publishTimeout;

  public BulkService(
      BulkRunner runner,
      OutcomeSink outcomes,
      TopicSinks topics,
      Clock clock,
      Duration publishTimeout) {
    this.runner = runner;
    this.outcomes = outcomes;
    this.topics = topics;
    this.clock = clock;
    this.publishTimeout = publishTimeout;
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
    Instant startedAt = clock.instant();
    BulkRequest request;
    try {
      request = BulkRequestJson.parse(data);
    } catch (InvalidRequestException e) {
      reportInvalid(messageId, e.getMessage(), startedAt);
      return;
    }
    String requestId = request.requestIdOr(messageId);
    Instant reference = request.referenceTime(publishedAt.orElse(startedAt));
    BulkReport report;
    try {
      report = runner.run(request, requestId, reference);
    } catch (InvalidRequestException e) {
      reportInvalid(requestId, e.getMessage(), startedAt);
      return;
    }
    publish(report, triggerTopic, reference);
  }

  /** Publishes the one summary event of a message that is not a valid request. */
  public void reportInvalid(String requestId, String error, Instant startedAt)
      throws PublishException, InterruptedException {
    CloudLog.warning(
        "bulk request refused: " + error, Map.of("requestId", requestId, "type", "summary"));
    BulkSummary summary = BulkSummary.invalid(requestId, error, startedAt, clock.instant());
    PublishTracker tracker = new PublishTracker();
    tracker.publish(outcomes, summary.toJson().toString(), summary.attributes());
    tracker.awaitAll(publishTimeout);
  }

  private void publish(BulkReport report, Optional<String> triggerTopic, Instant reference)
      throws PublishException, InterruptedException {
    BulkRequest request = report.request();
    String requestId = report.requestId();
    PublishTracker tracker = new PublishTracker();
    List<CancelResult> results = new ArrayList<>(report.results());
    Optional<BulkSummary.FollowUp> followUp = Optional.empty();
    List<ProjectName> relist = report.scope().unfinished();
    if (!report.remaining().isEmpty() || !relist.isEmpty()) {
      if (triggerTopic.isPresent() && request.part() < BulkRequest.Continuation.MAX_PART) {
        followUp = Optional.of(publishFollowUp(report, triggerTopic.get(), reference, tracker));
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
        Map<String, String> parentErrors = new LinkedHashMap<>(report.parentErrors());
        for (ProjectName p : relist) {
          parentErrors.put(p.wildcardParent(), "locations not listed before the deadline: " + why);
        }
        report = report.withParentErrors(parentErrors);
      }
    }
    for (CancelResult r : results) {
      OutcomeEvent event = OutcomeEvent.of(requestId, r, request.dryRun());
      tracker.publish(outcomes, event.toJson().toString(), event.attributes());
    }
    BulkSummary summary = BulkSummary.of(report, results, followUp, clock.instant());
    tracker.publish(outcomes, summary.toJson().toString(), summary.attributes());
    tracker.awaitAll(publishTimeout);
    CloudLog.info(
        "bulk request done: " + summary.toJson(),
        Map.of("requestId", requestId, "type", "summary"));
  }

  /**
   * How many operations this part handled toward the limit: every result but those refused without
   * a call (which the selector does not count either); the remaining names are not included.
   */
  private static int used(BulkReport report) {
    int n = 0;
    for (CancelResult r : report.results()) {
      if (r.outcome() != Outcome.INVALID_NAME && r.outcome() != Outcome.NOT_ALLOWED) {
        n++;
      }
    }
    return n;
  }

  /** Publishes the remaining names to the trigger topic and waits for Pub/Sub to take them. */
  private BulkSummary.FollowUp publishFollowUp(
      BulkReport report, String topic, Instant reference, PublishTracker tracker)
      throws PublishException, InterruptedException {
    List<ProjectName> relist = report.scope().unfinished();
    BulkRequest next =
        report
            .request()
            .followUp(report.requestId(), report.remaining(), relist, used(report), reference);
    OutcomeSink sink = topics.forTopic(topic);
    CompletableFuture<String> f =
        tracker.publish(
            sink,
            BulkRequestJson.toJson(next).toString(),
            Map.of("requestId", report.requestId(), "type", "followUp"));
    sink.flush();
    try {
      String messageId = f.get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
      List<String> parents = relist.stream().map(ProjectName::wildcardParent).toList();
      CloudLog.info(
          "deadline near: "
              + report.remaining().size()
              + " operations"
              + (parents.isEmpty() ? "" : " and the locations of " + parents)
              + " continue in follow-up part "
              + next.part(),
          Map.of("requestId", report.requestId(), "followUpMessageId", messageId));
      return new BulkSummary.FollowUp(
          topic, messageId, next.part(), report.remaining().size(), parents);
    } catch (ExecutionException | TimeoutException e) {
      throw new PublishException(
          "the follow-up with " + report.remaining().size() + " operations was not published",
          e instanceof ExecutionException ? e.getCause() : e);
    }
  }
}
