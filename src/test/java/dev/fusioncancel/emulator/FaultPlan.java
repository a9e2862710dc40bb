package dev.fusioncancel.emulator;

import dev.fusioncancel.rpc.Code;
import java.time.Duration;
import java.util.Objects;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Faults injected into the requests one scope matches (all API requests, or those naming one
 * operation). Scripted faults queue up in the order they were added and each is used by exactly one
 * request; probabilistic ("chaos") faults apply once the script is used up.
 */
public class FaultPlan {

  /** One scripted fault. */
  enum Type {
    FAIL,
    THROTTLE,
    RESET,
    REDIRECT
  }

  record Action(Type type, Code code, Duration retryAfter, String location) {}

  private final Queue<Action> script = new ConcurrentLinkedQueue<>();
  private volatile Latency latency = Latency.NONE;
  private volatile Chaos chaos;

  private record Chaos(double unavailableRate, double resetRate, Random random) {}

  FaultPlan() {}

  /** The next {@code n} matching requests fail with {@code code} (e.g. UNAVAILABLE, INTERNAL). */
  public FaultPlan failNext(int n, Code code) {
    Objects.requireNonNull(code, "code");
    if (code == Code.OK) {
      throw new IllegalArgumentException("a failure cannot be OK");
    }
    return add(n, new Action(Type.FAIL, code, null, null));
  }

  /** The next {@code n} matching requests answer 503 UNAVAILABLE. */
  public FaultPlan unavailableNext(int n) {
    return failNext(n, Code.UNAVAILABLE);
  }

  /** The next {@code n} matching requests answer 500 INTERNAL. */
  public FaultPlan internalNext(int n) {
    return failNext(n, Code.INTERNAL);
  }

  /** The next {@code n} matching requests answer 429 RESOURCE_EXHAUSTED with Retry-After. */
  public FaultPlan throttleNext(int n, Duration retryAfter) {
    Objects.requireNonNull(retryAfter, "retryAfter");
    return add(n, new Action(Type.THROTTLE, Code.RESOURCE_EXHAUSTED, retryAfter, null));
  }

  /**
   * The connection of each of the next {@code n} matching requests is closed with no answer, so the
   * client sees an IOException. Note: the JDK HttpClient silently retries an idempotent request
   * (GET) once when a reused keep-alive connection closes before any answer byte, so use {@code
   * resetNext(2)} to make such a GET fail; POST is never retried.
   */
  public FaultPlan resetNext(int n) {
    return add(n, new Action(Type.RESET, null, null, null));
  }

  /** The next {@code n} matching requests answer 302 with {@code Location: location}. */
  public FaultPlan redirectNext(int n, String location) {
    Objects.requireNonNull(location, "location");
    return add(n, new Action(Type.REDIRECT, null, null, location));
  }

  /** Every matching request is delayed by {@code latency} (a real sleep, not the clock). */
  public FaultPlan latency(Duration latency) {
    Objects.requireNonNull(latency, "latency");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    this.latency = Latency.flat(latency);
    return this;
  }

  /**
   * Each matching request (after the script is used up) is reset with probability {@code
   * resetRate}, else answered 503 with probability {@code unavailableRate}, drawn from a {@link
   * Random} seeded with {@code seed}.
   */
  public FaultPlan chaos(double unavailableRate, double resetRate, long seed) {
    if (unavailableRate < 0 || resetRate < 0 || unavailableRate + resetRate > 1) {
      throw new IllegalArgumentException("rates must be >= 0 and sum to at most 1");
    }
    this.chaos = new Chaos(unavailableRate, resetRate, new Random(seed));
    return this;
  }

  /** Removes every fault of this scope (script, latency and chaos). */
  public FaultPlan clear() {
    script.clear();
    latency = Latency.NONE;
    chaos = null;
    return this;
  }

  /** How many scripted faults are still waiting for a request. */
  public int pending() {
    return script.size();
  }

  /** Every matching request is delayed by a draw from {@code latency} (a real sleep). */
  public FaultPlan latency(Latency latency) {
    this.latency = Objects.requireNonNull(latency, "latency");
    return this;
  }

  /** The delay for the next matching request. */
  Duration currentLatency() {
    return latency.next();
  }

  /** The fault for the next matching request, or null when it should be answered normally. */
  Action next() {
    Action scripted = script.poll();
    if (scripted != null) {
      return scripted;
    }
    Chaos c = chaos;
    if (c == null) {
      return null;
    }
    double r;
    synchronized (c.random()) {
      r = c.random().nextDouble();
    }
    if (r < c.resetRate()) {
      return new Action(Type.RESET, null, null, null);
    }
    if (r < c.resetRate() + c.unavailableRate()) {
      return new Action(Type.FAIL, Code.UNAVAILABLE, null, null);
    }
    return null;
  }

  private FaultPlan add(int n, Action action) {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative: " + n);
    }
    for (int i = 0; i < n; i++) {
      script.add(action);
    }
    return this;
  }
}
