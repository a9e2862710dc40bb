package dev.fusioncancel.sim;

import dev.fusioncancel.engine.Workers;
import dev.fusioncancel.time.Sleeper;
import dev.fusioncancel.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.Semaphore;

/**
 * A deterministic scheduler under virtual time, in the spirit of FoundationDB's simulator: every
 * task of the code under test runs on a fiber (a real thread that runs only while it holds the
 * baton), so exactly one runs at a time; a fiber gives the baton back whenever it sleeps, and the
 * scheduler then picks the next one with a seeded {@link Random}: any ready fiber, else the timer
 * due first (virtual time jumps to it; ties are broken by the seed too). The same seed therefore
 * always gives the same interleaving, whatever the machine's speed.
 *
 * <p>It is the {@link Ticker}, the {@link Sleeper}, the wall {@link Clock} and the {@link Workers}
 * of the run. A {@link #crash()} makes every fiber unwind with {@link Crash} the next time it runs,
 * as when an instance dies.
 */
final class SimScheduler extends Clock implements Ticker, Sleeper, Workers {
  /** Thrown in every fiber of a crashed instance. */
  static final class Crash extends Error {
    Crash() {
      super("simulated crash", null, false, false);
    }
  }

  /** Fiber threads are reused across runs and seeds: creating a thread costs more than a turn. */
  private static final java.util.concurrent.ExecutorService THREADS =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "sim-fiber");
            t.setDaemon(true);
            return t;
          });

  private final Random random;
  private final Instant epoch;
  private long now;
  private final List<Fiber> ready = new ArrayList<>();
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>(
          (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.tieBreak, b.tieBreak));
  private Fiber current;
  private volatile boolean crashed;
  private int live;

  private record Timer(long at, long tieBreak, Fiber fiber) {}

  /** One task's thread, run only while it holds the baton. */
  private final class Fiber {
    final Semaphore go = new Semaphore(0);
    final List<Fiber> joiners = new ArrayList<>();
    int waitingFor;
    Throwable failure;
    boolean done;
  }

  SimScheduler(Random random, Instant epoch) {
    this.random = random;
    this.epoch = epoch;
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public Instant instant() {
    return epoch.plusNanos(now);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  /** Moves virtual time forward between runs (no fiber may be running). */
  void advance(Duration d) {
    now += d.toNanos();
  }

  /** Whether the current instance crashed. */
  boolean crashed() {
    return crashed;
  }

  /** Kills the running instance: the caller unwinds now, every other fiber when next resumed. */
  void crash() {
    crashed = true;
    throw new Crash();
  }

  @Override
  public void sleep(Duration d) {
    Fiber me = current;
    long at = now + Math.max(0, d.toNanos());
    timers.add(new Timer(at, random.nextLong(), me));
    yieldTurn(me);
  }

  /**
   * Runs {@code main} as the first fiber and schedules until every fiber is done; returns what
   * {@code main} threw, or null. Afterwards no fiber of the run is left (no task outlives it).
   */
  Throwable run(Runnable main) {
    crashed = false;
    problem = null;
    Fiber f = spawn(main);
    ready.add(f);
    Fiber first = pick();
    current = first;
    first.go.release();
    finished.acquireUninterruptibly();
    if (problem != null) {
      throw new AssertionError(problem);
    }
    if (live != 0 || !timers.isEmpty() || !ready.isEmpty()) {
      throw new AssertionError("a task outlived its run: " + live + " fibers left");
    }
    return f.failure;
  }

  private final Semaphore finished = new Semaphore(0);
  private String problem;

  /** The next fiber to run (virtual time jumps to its timer), or null when none can run. */
  private Fiber pick() {
    if (!ready.isEmpty()) {
      return ready.remove(random.nextInt(ready.size()));
    }
    if (!timers.isEmpty()) {
      Timer t = timers.poll();
      now = Math.max(now, t.at);
      return t.fiber;
    }
    return null;
  }

  /** Hands the baton from {@code me} to the next fiber (or keeps it) and waits to get it back. */
  private void yieldTurn(Fiber me) {
    Fiber next = pick();
    if (next == null) {
      problem = "deadlock: " + live + " fibers wait for nothing";
      finished.release();
      me.go.acquireUninterruptibly(); // never released: this run is over
    }
    if (next != me) {
      current = next;
      next.go.release();
      me.go.acquireUninterruptibly();
    }
    current = me;
    if (crashed) {
      throw new Crash();
    }
  }

  /** A fiber ended: passes the baton on, or ends the run when nothing is left. */
  private void handOffFromFinished() {
    Fiber next = pick();
    if (next == null) {
      if (live != 0) {
        problem = "deadlock: " + live + " fibers wait for nothing";
      }
      finished.release();
      return;
    }
    current = next;
    next.go.release();
  }

  private Fiber spawn(Runnable body) {
    Fiber f = new Fiber();
    live++;
    THREADS.execute(
        () -> {
          f.go.acquireUninterruptibly();
          current = f;
          try {
            if (crashed) {
              throw new Crash();
            }
            body.run();
          } catch (Throwable e) {
            f.failure = e;
          }
          f.done = true;
          live--;
          for (Fiber j : f.joiners) {
            if (--j.waitingFor == 0) {
              ready.add(j);
            }
          }
          handOffFromFinished();
        });
    return f;
  }

  @Override
  public Pool open(int parallelism) {
    return new Pool() {
      @Override
      public void runAll(List<? extends Runnable> jobs) {
        if (jobs.isEmpty()) {
          return;
        }
        Deque<Runnable> queue = new ArrayDeque<>(jobs);
        Fiber me = current;
        int n = Math.min(Math.max(1, parallelism), jobs.size());
        List<Fiber> workers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          Fiber w =
              spawn(
                  () -> {
                    Runnable job;
                    while ((job = queue.poll()) != null) {
                      job.run();
                    }
                  });
          w.joiners.add(me);
          workers.add(w);
          ready.add(w);
        }
        me.waitingFor = n;
        yieldTurn(me);
        for (Fiber w : workers) {
          if (w.failure instanceof RuntimeException r) {
            throw r;
          }
          if (w.failure instanceof Error e) {
            throw e;
          }
        }
      }

      @Override
      public void close() {}
    };
  }
}
