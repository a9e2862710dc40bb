package dev.fusioncancel.engine;

import java.util.List;

/**
 * Where the engine's concurrent calls run: the seam a deterministic simulation replaces with its
 * own seeded scheduler under virtual time. A pool belongs to one run and is closed with it, so no
 * task outlives the run that started it.
 */
@FunctionalInterface
public interface Workers {
  /** A pool for one run that runs at most {@code parallelism} jobs at once. */
  Pool open(int parallelism);

  /** The workers of one run. */
  interface Pool extends AutoCloseable {
    /**
     * Runs every job and returns when all have finished. Jobs bound their own time (every call they
     * make has a deadline), so this returns by the run's hard stop.
     */
    void runAll(List<? extends Runnable> jobs) throws InterruptedException;

    /** Stops every task still running (interrupting it) and releases the threads. */
    @Override
    void close();
  }

  /** Runs every job on the calling thread, one after the other: one operation needs no pool. */
  static Workers inline() {
    return parallelism ->
        new Pool() {
          @Override
          public void runAll(List<? extends Runnable> jobs) throws InterruptedException {
            for (Runnable job : jobs) {
              if (Thread.interrupted()) {
                throw new InterruptedException();
              }
              job.run();
            }
          }

          @Override
          public void close() {}
        };
  }
}
