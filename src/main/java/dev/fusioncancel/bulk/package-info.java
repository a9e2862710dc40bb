/**
 * Bulk cancelling: the request, selection, per-location rate limiting, the runner and the summary.
 *
 * <p>Flow: {@link dev.fusioncancel.bulk.BulkRequestJson} parses the message strictly; {@link
 * dev.fusioncancel.bulk.BulkService} runs it through {@link dev.fusioncancel.bulk.BulkRunner}
 * ({@link dev.fusioncancel.bulk.Selector}, then cancels, then checks) and publishes one outcome
 * event per operation, then one {@link dev.fusioncancel.bulk.BulkSummary}.
 *
 * <p>Decisions:
 *
 * <ul>
 *   <li>{@code limit} applies to the combined, deduplicated list: explicit names first (request
 *       order), then listed ones oldest first; names refused without a call (INVALID_NAME,
 *       NOT_ALLOWED) do not count. Empty {@code verbs}/{@code targets} mean no filter. Filters
 *       apply only to listed operations, never to explicit names.
 *   <li>A parent outside {@code ALLOWED_PARENTS} makes the whole request invalid (summary with
 *       {@code error}), before any call: a selector aimed at a forbidden place is a mistake.
 *   <li>Dry runs make no call for explicit names and no cancel at all; listed operations carry what
 *       the listing showed.
 *   <li>Checking: per location and round, one {@code operations.list} when its known page count
 *       (from the selection or an earlier round) is at most the number of pending operations, else
 *       one GET each; an unknown location is listed with a budget of n-1 pages. Anything not
 *       settled by the listing is fetched on its own.
 *   <li>Deadline: cancels stop starting at {@code deadline - safetyMargin - checkReserve - wait},
 *       where the check wait is at most a third of the usable time; no call waits for a permit past
 *       {@code deadline - safetyMargin}.
 *   <li>Follow-up: what the hard stop left undone goes, after this part's events and summary are
 *       confirmed, as ONE message to the trigger topic: the same request with {@code operations} =
 *       the names not yet cancelled, {@code continuation.check} = the names whose cancel was
 *       answered but not yet checked (with the answer), {@code parents} only when a listing did not
 *       finish (then every parent is listed again and {@code operations} holds the explicit names),
 *       and {@code "continuation": {"requestId": "<original>", "part": n, "since": "<RFC 3339>"}}
 *       ({@code since}: the original's reference time, see below). The follow-up reports under the
 *       original request id, so each operation has the eventId it would have had; the summary of
 *       part n has eventId {@code EventIds.summary(requestId, n)}, apart from operations' eventIds.
 *       After {@value dev.fusioncancel.bulk.BulkRequest.Continuation#MAX_PART} parts, or when the
 *       trigger topic is unknown, what is left is reported as ERROR (parents as parent errors). The
 *       continuation field is accepted from any publisher to the topic; it only chooses the request
 *       id that events are reported under and which names are checked.
 *   <li>Redelivery: a failed publish makes the function throw, so Pub/Sub delivers the message
 *       again and that delivery must report every operation. The request's reference time is the
 *       message's {@code publishTime} (else the CloudEvent {@code time}, else now), identical on
 *       every delivery. {@code parents} select operations running at the reference time: running
 *       now, or done with {@code endTime} at or after it and {@code requestedCancellation} set.
 *       Those already done are reported from the listed state (CANCELLED / FAILED / COMPLETED, no
 *       {@code cancelStatus}, detail "found already finished") with no call; done operations that
 *       ended before the reference time, or were never asked to cancel, are not ours and are not
 *       reported. {@code olderThan} is measured from the reference time, so each delivery selects
 *       the same set. Done candidates count toward {@code limit} like running ones.
 * </ul>
 */
package dev.fusioncancel.bulk;
