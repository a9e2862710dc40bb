package dev.fusioncancel.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link Workers} on real daemon threads: one fixed pool per run, shut down when it closes. */
public final class ThreadWorkers implements Workers {
  /** The production workers. */
  public static final ThreadWorkers INSTANCE = new ThreadWorkers();

  private ThreadWorkers() {}

  @Override
  public Pool open(int parallelism) {
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, parallelism),
            r -> {
              Thread t = new Thread(r, "fusion-cancel-worker-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    return new Pool() {
      @Override
      public void runAll(List<? extends Runnable> jobs) throws InterruptedException {
        List<Future<?>> futures = new ArrayList<>(jobs.size());
        for (Runnable job : jobs) {
          futures.add(pool.submit(job));
        }
        for (Future<?> f : futures) {
          try {
            f.get();
          } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
              throw r;
            }
            if (cause instanceof Error err) {
              throw err;
            }
            throw new IllegalStateException(cause);
          }
        }
      }

      @Override
      public void close() {
        pool.shutdownNow();
        try {
          pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }
}
