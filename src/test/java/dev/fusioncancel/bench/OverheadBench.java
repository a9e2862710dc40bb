package dev.fusioncancel.bench;

import static dev.fusioncancel.bench.BenchSupport.HTTP;
import static dev.fusioncancel.bench.BenchSupport.median;
import static dev.fusioncancel.bench.BenchSupport.percentileMs;
import static dev.fusioncancel.bench.BenchSupport.progress;

import dev.fusioncancel.emulator.Behaviour;
import dev.fusioncancel.emulator.FusionEmulator;
import dev.fusioncancel.emulator.SeededOperation;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Section 4: latency the HTTP function adds over calling the emulator directly (cancel + GET versus
 * POST / with wait 0s), at 1 and 32 concurrent clients, emulator without quota or latency.
 */
final class OverheadBench {
  static final String P = "projects/bench-project/locations/us-central1";

  private OverheadBench() {}

  /** Latency samples of one measured point. */
  record Point(double p50, double p99, double opsPerS) {}

  static void run(FusionCancelBench.Settings settings, BenchSupport.Summary summary)
      throws Exception {
    int[] clients = {1, 32};
    int[] perPoint = settings.quick() ? new int[] {300, 1000} : new int[] {1000, 4000};
    Map<Integer, List<Point>> direct = Map.of(1, new ArrayList<>(), 32, new ArrayList<>());
    Map<Integer, List<Point>> function = Map.of(1, new ArrayList<>(), 32, new ArrayList<>());
    try (FusionEmulator emulator = FusionEmulator.builder().port(0).quotaPerMinute(0).build();
        BenchSupport.Jvm fn =
            BenchSupport.Jvm.start(
                ColdStartBench.CANCEL,
                Map.of("DATAFUSION_ENDPOINT", emulator.endpoint()),
                List.of())) {
      dev.fusioncancel.testing.Ports.awaitOpen(fn.port(), Duration.ofSeconds(60), fn.process());
      progress("overhead: warming up the function and the client");
      measure(emulator, fn, true, 32, settings.quick() ? 1000 : 4000);
      measure(emulator, fn, false, 32, settings.quick() ? 500 : 2000);
      for (int round = 1; round <= settings.runs(); round++) {
        for (int i = 0; i < clients.length; i++) {
          int c = clients[i];
          progress("overhead: round %d/%d, %d client(s)", round, settings.runs(), c);
          direct.get(c).add(measure(emulator, fn, false, c, perPoint[i]));
          function.get(c).add(measure(emulator, fn, true, c, perPoint[i]));
        }
      }
    }
    BenchSupport.Table t =
        new BenchSupport.Table(
            "HTTP overhead: CancelHttpFunction POST / (wait 0s) vs the emulator directly"
                + " (POST :cancel then GET); median of "
                + settings.runs()
                + " rounds",
            "clients",
            "direct p50 ms",
            "direct p99 ms",
            "function p50 ms",
            "function p99 ms",
            "added p50 ms",
            "added p99 ms",
            "function ops/s");
    double addedP99At32 = Double.NaN;
    for (int c : clients) {
      double dp50 = median(direct.get(c).stream().map(Point::p50).toList());
      double dp99 = median(direct.get(c).stream().map(Point::p99).toList());
      double fp50 = median(function.get(c).stream().map(Point::p50).toList());
      double fp99 = median(function.get(c).stream().map(Point::p99).toList());
      double rate = median(function.get(c).stream().map(Point::opsPerS).toList());
      t.row(c, dp50, dp99, fp50, fp99, fp50 - dp50, fp99 - dp99, rate);
      if (c == 32) {
        addedP99At32 = fp99 - dp99;
        summary.put("overhead_p50_ms", fp50 - dp50);
      } else {
        summary.put("overhead_p99_ms_c1", fp99 - dp99);
      }
    }
    t.note(
        "Everything shares 2 cores: the client, the emulator (in the benchmark JVM) and the"
            + " function JVM (default flags). Each sample is one operation: cancel + GET direct, or"
            + " one POST / through the function (which itself makes the cancel + GET).");
    t.print();
    summary.put("overhead_p99_ms", addedP99At32);
  }

  /** Cancels {@code n} fresh operations with {@code clients} threads; answers the latencies. */
  private static Point measure(
      FusionEmulator emulator, BenchSupport.Jvm fn, boolean viaFunction, int clients, int n)
      throws Exception {
    emulator.reset();
    List<SeededOperation> ops = emulator.seedMany(P, n, Behaviour.cancellable());
    long[] nanos = new long[n];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long t0 = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      done.add(
          pool.submit(
              () -> {
                int i;
                while ((i = next.getAndIncrement()) < n) {
                  String name = ops.get(i).name();
                  long s = System.nanoTime();
                  if (viaFunction) {
                    HttpResponse<String> r =
                        HTTP.send(
                            BenchSupport.postJson(
                                fn.url() + "/", "{\"name\":\"" + name + "\",\"wait\":\"0s\"}"),
                            HttpResponse.BodyHandlers.ofString());
                    expect200(r);
                  } else {
                    String url = emulator.endpoint() + "/v1/" + name;
                    expect200(
                        HTTP.send(
                            BenchSupport.postEmpty(url + ":cancel"),
                            HttpResponse.BodyHandlers.ofString()));
                    expect200(
                        HTTP.send(BenchSupport.get(url), HttpResponse.BodyHandlers.ofString()));
                  }
                  nanos[i] = System.nanoTime() - s;
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    return new Point(percentileMs(nanos, 50), percentileMs(nanos, 99), n / seconds);
  }

  private static void expect200(HttpResponse<String> r) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException("answered " + r.statusCode() + ": " + r.body());
    }
  }
}
