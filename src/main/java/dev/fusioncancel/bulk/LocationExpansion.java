package dev.fusioncancel.bulk;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.LocationPage;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.ProjectName;
import dev.fusioncancel.rpc.Code;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
  /**
   * The budget key of {@code projects.locations.list}: the call names no region, so no region's
   * budget (that region's cancels) should pay for it; Data Fusion has no location called {@code
   * global}, so the key cannot collide with a real one, and it is paced at {@code
   * REQUESTS_PER_MINUTE} like every other key.
   */
  public static final String BUDGET_LOCATION = "global";

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
   * @param api paced: each page takes a permit from {@link #budgetKey}'s budget, and no page is
   *     started when no permit can be had before the cutoff
   */
  public LocationExpansion(Config config, OperationsApi api, Clock clock, int pageSize) {
    this.config = config;
    this.api = api;
    this.clock = clock;
    this.pageSize = pageSize;
  }

  /** The location whose budget {@code projects.locations.list} of this project takes from. */
  public static LocationName budgetKey(ProjectName project) {
    return project.location(BUDGET_LOCATION);
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
   * The request's scope: wildcards are listed concurrently, each in its own short-lived thread, and
   * no listing is awaited past {@code cutoff}.
   */
  public Scope expand(BulkRequest request, Instant cutoff) throws InterruptedException {
    if (request.allLocationsOf().isEmpty()) {
      return Scope.of(request.parents());
    }
    Set<LocationName> locations = new LinkedHashSet<>(request.parents());
    List<LocationName> notAllowed = new ArrayList<>();
    List<ProjectName> unfinished = new ArrayList<>();
    Map<String, String> errors = new LinkedHashMap<>();
    ExecutorService threads =
        Executors.newFixedThreadPool(
            request.allLocationsOf().size(),
            r -> {
              Thread t = new Thread(r, "bulk-locations");
              t.setDaemon(true);
              return t;
            });
    try {
      Map<ProjectName, Future<List<LocationName>>> listings = new LinkedHashMap<>();
      for (ProjectName project : request.allLocationsOf()) {
        listings.put(project, threads.submit(() -> readAll(project)));
      }
      for (Map.Entry<ProjectName, Future<List<LocationName>>> e : listings.entrySet()) {
        ProjectName project = e.getKey();
        List<LocationName> found;
        try {
          found = awaitUntil(e.getValue(), cutoff);
        } catch (OutOfTime late) {
          unfinished.add(project);
          continue;
        } catch (ApiException failed) {
          if (RateLimitedOperationsApi.outOfTime(failed)) {
            unfinished.add(project);
          } else {
            errors.put(project.wildcardParent(), failed.getMessage());
          }
          continue;
        }
        for (LocationName location : found) {
          if (!config.allows(location)) {
            if (!notAllowed.contains(location)) {
              notAllowed.add(location);
            }
          } else {
            locations.add(location);
          }
        }
      }
    } finally {
      threads.shutdownNow();
    }
    return new Scope(List.copyOf(locations), notAllowed, unfinished, errors);
  }

  /** Every page of the project's locations; a token that comes back twice is an error. */
  private List<LocationName> readAll(ProjectName project) {
    List<LocationName> all = new ArrayList<>();
    Set<String> tokens = new HashSet<>();
    String token = null;
    int pages = 0;
    do {
      if (++pages > MAX_PAGES) {
        throw ApiException.transport(
            Code.INTERNAL,
            "projects.locations.list of " + project + " took more than " + MAX_PAGES + " pages",
            null);
      }
      LocationPage page = api.listLocations(project, pageSize, token);
      all.addAll(page.locations());
      token = page.nextPageToken();
      if (token != null && !tokens.add(token)) {
        throw ApiException.transport(
            Code.INTERNAL,
            "projects.locations.list returned page token '" + token + "' twice; stopped reading",
            null);
      }
    } while (token != null);
    return all;
  }

  /**
   * The listing, awaited until {@code cutoff}; a listing still running then is cancelled
   * (interrupted) and reported as {@link OutOfTime}.
   */
  private List<LocationName> awaitUntil(Future<List<LocationName>> f, Instant cutoff)
      throws InterruptedException {
    long millis = Math.max(Duration.between(clock.instant(), cutoff).toMillis(), 0);
    try {
      return f.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | CancellationException e) {
      f.cancel(true);
      throw new OutOfTime();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ApiException api) {
        throw api;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** A listing that did not finish before the cutoff. */
  private static final class OutOfTime extends RuntimeException {
    OutOfTime() {
      super("out of time", null, false, false);
    }
  }
}
