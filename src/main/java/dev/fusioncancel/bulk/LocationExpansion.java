package dev.fusioncancel.bulk;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.LocationPage;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.engine.Workers;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.ProjectName;
import dev.fusioncancel.rpc.Code;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a request's parents into the concrete locations whose operations are listed: the named
 * {@code projects/P/locations/L} as given, and for each wildcard {@code projects/P/locations/-}
 * every location {@code projects.locations.list} finds (every page), kept only where {@code
 * ALLOWED_PARENTS} allows it. {@code operations.list} is never called on {@code locations/-}:
 * services commonly answer UNIMPLEMENTED there, and Data Fusion does not document it.
 *
 * <p>Time: a wildcard whose listing has not finished by the cutoff (no budget permit in time, or a
 * slow answer) contributes nothing to this part and is returned as {@link Scope#unfinished()}, to
 * be listed afresh by the follow-up; a listing that failed for another reason (after the client's
 * retries) is a parent error.
 */
public final class LocationExpansion {
  /** Pages one wildcard may take; Google Cloud has a few dozen regions, so more means a loop. */
  static final int MAX_PAGES = 100;

  /**
   * What a request's parents came to.
   *
   * @param locations to list: named parents first (request order), then found ones, deduplicated
   * @param notAllowed found locations outside {@code ALLOWED_PARENTS}: left out, never called
   * @param unfinished wildcard projects whose locations were not listed before the cutoff
   * @param errors wildcard parents whose listing failed, with the error
   */
  public record Scope(
      List<LocationName> locations,
      List<LocationName> notAllowed,
      List<ProjectName> unfinished,
      Map<String, String> errors) {
    public Scope {
      locations = List.copyOf(locations);
      notAllowed = List.copyOf(notAllowed);
      unfinished = List.copyOf(unfinished);
      errors = Map.copyOf(errors);
    }

    /** The scope of a request without wildcards: its named parents. */
    public static Scope of(List<LocationName> parents) {
      return new Scope(parents, List.of(), List.of(), Map.of());
    }
  }

  private final Config config;
  private final OperationsApi api;
  private final Clock clock;
  private final int pageSize;

  /**
   * @param api paced: each page takes a permit from {@link ProjectName#locationsListBudgetKey}'s
   *     budget, and no page is started when no permit can be had before the cutoff
   */
  public LocationExpansion(Config config, OperationsApi api, Clock clock, int pageSize) {
    this.config = config;
    this.api = api;
    this.clock = clock;
    this.pageSize = pageSize;
  }

  /**
   * Refuses a wildcard parent of a project where no location could ever be allowed (no {@code
   * ALLOWED_PARENTS} pattern names the project or {@code *}), before any call.
   */
  public static void checkAllowed(Config config, BulkRequest request)
      throws InvalidRequestException {
    for (ProjectName project : request.allLocationsOf()) {
      if (!config.allowsSomeLocationOf(project)) {
        throw new InvalidRequestException(
            "parent "
                + project.wildcardParent()
                + " is outside ALLOWED_PARENTS (no location of "
                + project
                + " is allowed); nothing was listed or cancelled");
      }
    }
  }

  /**
   * The request's scope: wildcards are listed concurrently on the run's {@code pool}, and no page
   * is requested or awaited past {@code cutoffNanos} (a {@link dev.fusioncancel.time.Ticker}
   * reading): a wildcard cut short is {@link Scope#unfinished()}.
   */
  public Scope expand(BulkRequest request, long cutoffNanos, Workers.Pool pool)
      throws InterruptedException {
    if (request.allLocationsOf().isEmpty()) {
      return Scope.of(request.parents());
    }
    Map<ProjectName, Object> found = new LinkedHashMap<>();
    List<Runnable> jobs = new ArrayList<>();
    for (ProjectName project : request.allLocationsOf()) {
      jobs.add(
          () -> {
            Object result;
            try {
              result = readAll(project, cutoffNanos);
            } catch (ApiException e) {
              result = e;
            }
            synchronized (found) {
              found.put(project, result);
            }
          });
    }
    pool.runAll(jobs);
    Set<LocationName> locations = new LinkedHashSet<>(request.parents());
    List<LocationName> notAllowed = new ArrayList<>();
    List<ProjectName> unfinished = new ArrayList<>();
    Map<String, String> errors = new LinkedHashMap<>();
    for (ProjectName project : request.allLocationsOf()) {
      Object result = found.get(project);
      if (result instanceof ApiException failed) {
        if (failed.isOutOfTime() || failed.retryable() || failed.code() == Code.INTERNAL) {
          unfinished.add(project);
        } else {
          errors.put(project.wildcardParent(), failed.getMessage());
        }
        continue;
      }
      @SuppressWarnings("unchecked")
      List<LocationName> list = (List<LocationName>) result;
      for (LocationName location : list) {
        if (!config.allows(location)) {
          if (!notAllowed.contains(location)) {
            notAllowed.add(location);
          }
        } else {
          locations.add(location);
        }
      }
    }
    return new Scope(List.copyOf(locations), notAllowed, unfinished, errors);
  }

  /** Every page of the project's locations; a token that comes back twice is an error. */
  private List<LocationName> readAll(ProjectName project, long cutoffNanos) {
    List<LocationName> all = new ArrayList<>();
    Set<String> tokens = new HashSet<>();
    String token = null;
    int pages = 0;
    do {
      if (++pages > MAX_PAGES) {
        throw ApiException.transport(
            Code.FAILED_PRECONDITION,
            "projects.locations.list of " + project + " took more than " + MAX_PAGES + " pages",
            null);
      }
      LocationPage page = api.listLocations(project, pageSize, token, cutoffNanos);
      all.addAll(page.locations());
      token = page.nextPageToken();
      if (token != null && !tokens.add(token)) {
        throw ApiException.transport(
            Code.FAILED_PRECONDITION,
            "projects.locations.list returned page token '" + token + "' twice; stopped reading",
            null);
      }
    } while (token != null);
    return all;
  }
}
