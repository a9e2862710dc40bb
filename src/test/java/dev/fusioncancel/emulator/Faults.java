package dev.fusioncancel.emulator;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fault injection: the methods inherited from {@link FaultPlan} act on every API request; {@link
 * #forOperation} scopes faults to the requests naming one operation. Operation faults are checked
 * first, then global ones.
 */
public final class Faults extends FaultPlan {

  /** How the emulator checks the {@code Authorization} header. */
  public enum AuthMode {
    /** No check (default). */
    NONE,
    /** Requests without {@code Authorization: Bearer <something>} answer 401. */
    REQUIRE_BEARER,
    /** Every request answers 401 UNAUTHENTICATED, as with a revoked credential. */
    REJECT_ALL
  }

  private final Map<String, FaultPlan> byOperation = new ConcurrentHashMap<>();
  private volatile AuthMode authMode = AuthMode.NONE;

  Faults() {}

  /**
   * The faults for requests that name this operation ({@code projects/P/locations/L/operations/O}).
   */
  public FaultPlan forOperation(String name) {
    Objects.requireNonNull(name, "name");
    return byOperation.computeIfAbsent(name, n -> new FaultPlan());
  }

  /** The faults for {@code projects.locations.list} of this project (any API version). */
  public FaultPlan forLocationsList(String project) {
    return forOperation("projects/" + Objects.requireNonNull(project, "project") + "/locations");
  }

  /** Sets how the {@code Authorization} header is checked. */
  public Faults authMode(AuthMode mode) {
    this.authMode = Objects.requireNonNull(mode, "mode");
    return this;
  }

  /** The current authorization check. */
  public AuthMode authMode() {
    return authMode;
  }

  /** Removes all faults, global and per operation, and turns the auth check off. */
  public Faults clearAll() {
    clear();
    byOperation.clear();
    authMode = AuthMode.NONE;
    return this;
  }

  FaultPlan existingFor(String name) {
    return name == null ? null : byOperation.get(name);
  }
}
