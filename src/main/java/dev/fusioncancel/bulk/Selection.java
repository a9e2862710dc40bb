package dev.fusioncancel.bulk;

import dev.fusioncancel.client.Operation;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.outcome.CancelResult;
import java.util.List;
import java.util.Map;

/**
 * What a request selected: the operations to cancel in order, the names refused without a call, how
 * many matches the limit left out, and what listing each parent cost.
 *
 * @param targets to cancel, explicit names first (request order), then listed ones oldest first
 * @param refused INVALID_NAME and NOT_ALLOWED results: no call is made for these
 * @param skippedByLimit how many selected operations the limit left out
 * @param listPages how many list pages each parent took (the cost of checking it by listing)
 * @param parentErrors parents whose listing failed for good (the API's final answer), with it
 * @param relist parents whose listing did not finish in time (or whose retries ran out): nothing is
 *     selected now, the follow-up lists them again
 * @param deferredNames the explicit names held back with them, so the follow-up selects once
 * @param selectAgain nothing was selected: the follow-up lists {@code relist} and the request's
 *     wildcard parents again and selects from them
 */
public record Selection(
    List<Target> targets,
    List<CancelResult> refused,
    int skippedByLimit,
    Map<LocationName, Integer> listPages,
    Map<String, String> parentErrors,
    List<LocationName> relist,
    List<String> deferredNames,
    boolean selectAgain) {

  public Selection {
    targets = List.copyOf(targets);
    refused = List.copyOf(refused);
    listPages = Map.copyOf(listPages);
    parentErrors = Map.copyOf(parentErrors);
    relist = List.copyOf(relist);
    deferredNames = List.copyOf(deferredNames);
  }

  /** One operation to cancel, with what listing showed of it (null for explicit names). */
  public record Target(OperationName name, Operation listed) {}
}
