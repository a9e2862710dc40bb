package dev.fusioncancel.emulator;

import java.util.concurrent.atomic.LongAdder;

/** Running totals of what the emulator answered, for benchmarks and assertions. */
public final class Counters {
  final LongAdder requests = new LongAdder();
  final LongAdder quotaRejections = new LongAdder();
  final LongAdder injectedFaults = new LongAdder();
  final LongAdder connectionResets = new LongAdder();
  final LongAdder unauthenticated = new LongAdder();
  final LongAdder cancelsAccepted = new LongAdder();

  Counters() {}

  /** API requests received (admin requests are not counted). */
  public long requests() {
    return requests.sum();
  }

  /** Requests answered 429 by the per-location quota. */
  public long quotaRejections() {
    return quotaRejections.sum();
  }

  /** Requests answered by an injected fault (including resets and redirects). */
  public long injectedFaults() {
    return injectedFaults.sum();
  }

  /** Connections closed without an answer. */
  public long connectionResets() {
    return connectionResets.sum();
  }

  /** Requests answered 401 by the auth check. */
  public long unauthenticated() {
    return unauthenticated.sum();
  }

  /** Cancel calls answered 200. */
  public long cancelsAccepted() {
    return cancelsAccepted.sum();
  }

  /** Sets every counter back to zero. */
  public void reset() {
    requests.reset();
    quotaRejections.reset();
    injectedFaults.reset();
    connectionResets.reset();
    unauthenticated.reset();
    cancelsAccepted.reset();
  }

  @Override
  public String toString() {
    return "Counters{requests="
        + requests()
        + ", quotaRejections="
        + quotaRejections()
        + ", injectedFaults="
        + injectedFaults()
        + ", connectionResets="
        + connectionResets()
        + ", unauthenticated="
        + unauthenticated()
        + ", cancelsAccepted="
        + cancelsAccepted()
        + "}";
  }
}
