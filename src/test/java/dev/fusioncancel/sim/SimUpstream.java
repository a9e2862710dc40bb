package dev.fusioncancel.sim;

import dev.fusioncancel.client.ApiException;
import dev.fusioncancel.client.Operation;
import dev.fusioncancel.client.OperationPage;
import dev.fusioncancel.client.OperationsTransport;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.name.OperationName;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.rpc.RpcStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The simulated Data Fusion API with its ground truth: operations that finish on their own, accept
 * or refuse cancels, and cancels that complete anyway; per request a seeded latency (10 ms to 5 s),
 * 503 / 500 / reset faults, 429s with and without Retry-After, and a quota that counts every
 * request per location per 60 s. It sits below the retry and budget layer, so every retry and
 * permit of the real code is exercised, and it logs every request it receives.
 */
final class SimUpstream implements OperationsTransport {
  /** How an operation answers a cancel. */
  enum Mode {
    CANCELS,
    COMPLETES_ANYWAY,
    REFUSES
  }

  /** The truth about one operation. */
  static final class Op {
    final String name;
    final Instant created;
    final String verb;
    final Mode mode;
    final Code refusal;
    final long finishesAt;
    final boolean failsOnItsOwn;
    final long cancelTakes;
    long cancelAcceptedAt = Long.MAX_VALUE;
    long endedAt = Long.MAX_VALUE;
    int endCode = -1; // -1 running, 0 response, 1 cancelled, other: failed

    Op(
        String name,
        Instant created,
        String verb,
        Mode mode,
        Code refusal,
        long finishesAt,
        boolean failsOnItsOwn,
        long cancelTakes) {
      this.name = name;
      this.created = created;
      this.verb = verb;
      this.mode = mode;
      this.refusal = refusal;
      this.finishesAt = finishesAt;
      this.failsOnItsOwn = failsOnItsOwn;
      this.cancelTakes = cancelTakes;
    }

    /** Brings the state up to {@code t}. */
    void at(long t) {
      if (endCode >= 0) {
        return;
      }
      long byCancel =
          cancelAcceptedAt == Long.MAX_VALUE ? Long.MAX_VALUE : cancelAcceptedAt + cancelTakes;
      long first = Math.min(byCancel, finishesAt);
      if (first <= t) {
        endedAt = first;
        if (first == byCancel) {
          endCode = mode == Mode.COMPLETES_ANYWAY ? 0 : 1;
        } else {
          endCode = failsOnItsOwn ? 13 : 0;
        }
      }
    }

    boolean runningAt(long t) {
      at(t);
      return endedAt > t;
    }
  }

  /** One request received: when, for which operation (or parent), and its answer. */
  record Request(long at, String method, String location, String target, String answer) {}

  private final SimScheduler sim;
  private final Random random;
  private final Instant epoch;
  private final Map<String, Op> ops = new TreeMap<>();
  private final List<Request> log = new ArrayList<>();
  private final Map<String, Deque<Long>> quotaWindow = new HashMap<>();
  private final int quota;
  private final double faultRate;
  private final double throttleRate;
  private final double crashRate;
  private int newOps;

  SimUpstream(
      SimScheduler sim,
      Random random,
      Instant epoch,
      int quota,
      double faultRate,
      double throttleRate,
      double crashRate) {
    this.sim = sim;
    this.random = random;
    this.epoch = epoch;
    this.quota = quota;
    this.faultRate = faultRate;
    this.throttleRate = throttleRate;
    this.crashRate = crashRate;
  }

  void add(Op op) {
    ops.put(op.name, op);
  }

  Op op(String name) {
    return ops.get(name);
  }

  Map<String, Op> ops() {
    return ops;
  }

  List<Request> log() {
    return log;
  }

  /** A latency from 10 ms to 5 s, most of them short. */
  private long latency() {
    double u = random.nextDouble();
    double ms =
        u < 0.85
            ? 10 + random.nextDouble() * 90
            : u < 0.97 ? 100 + random.nextDouble() * 900 : 1000 + random.nextDouble() * 4000;
    return (long) (ms * 1_000_000);
  }

  private Operation view(Op op) {
    op.at(sim.nanoTime());
    boolean done = op.endCode >= 0;
    Operation.OperationError error =
        done && op.endCode != 0 ? new Operation.OperationError(op.endCode, "ended") : null;
    return new Operation(
        op.name,
        done,
        error,
        done && op.endCode == 0,
        op.verb,
        "projects/sim/locations/l/instances/i",
        op.created,
        done ? epoch.plusNanos(op.endedAt) : null,
        op.cancelAcceptedAt != Long.MAX_VALUE ? Boolean.TRUE : null,
        "v1");
  }

  private static ApiException error(int http, Code code, Duration retryAfter) {
    return new ApiException(new RpcStatus(code, "sim " + code), http, retryAfter, 1, null);
  }

  /**
   * One request: logs it, maybe crashes the instance, takes its latency (bounded by the timeout),
   * applies {@code effect} when the request reached the server, and answers.
   */
  private <T> T request(
      String method,
      String location,
      String target,
      Duration timeout,
      java.util.function.Supplier<T> effect) {
    long start = sim.nanoTime();
    Request entry = new Request(start, method, location, target, "?");
    log.add(entry);
    int index = log.size() - 1;
    if (random.nextDouble() < crashRate) {
      log.set(index, new Request(start, method, location, target, "crash"));
      sim.crash();
    }
    long total = latency();
    long limit = timeout.toNanos();
    long there = total / 2;
    if (there >= limit) {
      sim.sleep(Duration.ofNanos(limit));
      log.set(index, new Request(start, method, location, target, "timeout"));
      throw ApiException.transport(Code.DEADLINE_EXCEEDED, "sim timeout", null);
    }
    sim.sleep(Duration.ofNanos(there));
    ApiException fault = fault(location);
    T result = null;
    if (fault == null) {
      try {
        result = effect.get();
      } catch (ApiException e) {
        fault = e;
      }
    }
    if (total >= limit) {
      sim.sleep(Duration.ofNanos(limit - there));
      log.set(index, new Request(start, method, location, target, "timeout"));
      throw ApiException.transport(Code.DEADLINE_EXCEEDED, "sim timeout", null);
    }
    sim.sleep(Duration.ofNanos(total - there));
    if (random.nextDouble() < crashRate) {
      log.set(index, new Request(start, method, location, target, "crash-after"));
      sim.crash();
    }
    log.set(
        index,
        new Request(start, method, location, target, fault == null ? "ok" : fault.code().name()));
    if (fault != null) {
      throw fault;
    }
    return result;
  }

  /** The quota (every request counts, as the real one does) and the seeded faults. */
  private ApiException fault(String location) {
    long t = sim.nanoTime();
    Deque<Long> window = quotaWindow.computeIfAbsent(location, l -> new ArrayDeque<>());
    while (!window.isEmpty() && window.peekFirst() <= t - 60_000_000_000L) {
      window.pollFirst();
    }
    window.addLast(t);
    if (window.size() > quota) {
      long free = window.peekFirst() + 60_000_000_000L - t;
      return error(
          429, Code.RESOURCE_EXHAUSTED, Duration.ofNanos(free).plusSeconds(1).withNanos(0));
    }
    double u = random.nextDouble();
    if (u < faultRate) {
      int kind = random.nextInt(3);
      return kind == 0
          ? error(503, Code.UNAVAILABLE, null)
          : kind == 1
              ? error(500, Code.INTERNAL, null)
              : ApiException.transport(Code.UNAVAILABLE, "sim connection reset", null);
    }
    if (u < faultRate + throttleRate) {
      return error(
          429,
          Code.RESOURCE_EXHAUSTED,
          random.nextBoolean() ? null : Duration.ofSeconds(1 + random.nextInt(3)));
    }
    return null;
  }

  @Override
  public void cancel(OperationName name, Duration timeout) {
    String n = name.toString();
    request(
        "cancel",
        name.parent().toString(),
        n,
        timeout,
        () -> {
          Op op = ops.get(n);
          if (op == null) {
            throw error(404, Code.NOT_FOUND, null);
          }
          long t = sim.nanoTime();
          op.at(t);
          if (op.endCode >= 0) {
            throw error(400, Code.FAILED_PRECONDITION, null);
          }
          if (op.mode == Mode.REFUSES) {
            throw error(op.refusal.httpStatus(), op.refusal, null);
          }
          if (op.cancelAcceptedAt == Long.MAX_VALUE) {
            op.cancelAcceptedAt = t;
          }
          return null;
        });
  }

  @Override
  public Operation get(OperationName name, Duration timeout) {
    String n = name.toString();
    return request(
        "get",
        name.parent().toString(),
        n,
        timeout,
        () -> {
          Op op = ops.get(n);
          if (op == null) {
            throw error(404, Code.NOT_FOUND, null);
          }
          return view(op);
        });
  }

  @Override
  public OperationPage list(LocationName parent, int pageSize, String pageToken, Duration timeout) {
    return request(
        "list",
        parent.toString(),
        parent.toString(),
        timeout,
        () -> {
          if (random.nextInt(4) == 0) {
            // Pages shift between calls: an operation created now lands among the others.
            String n = parent + "/operations/new-" + (newOps++);
            add(new Op(n, sim.instant(), "update", Mode.CANCELS, null, Long.MAX_VALUE, false, 1));
          }
          String prefix = parent + "/operations/";
          List<Op> all = ops.values().stream().filter(o -> o.name.startsWith(prefix)).toList();
          int from = pageToken == null ? 0 : Integer.parseInt(pageToken);
          int to = Math.min(all.size(), from + pageSize);
          List<Operation> page = new ArrayList<>();
          for (Op o : all.subList(Math.min(from, all.size()), to)) {
            page.add(view(o));
          }
          return new OperationPage(page, to < all.size() ? Integer.toString(to) : null);
        });
  }
}
