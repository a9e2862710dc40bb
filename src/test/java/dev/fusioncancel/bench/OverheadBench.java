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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Section 4: latency the HTTP function adds over calling the emulator directly (cancel + GET versus
 * POST / with wait 0s), at 1 and 32 concurrent clients, emulator without quota or latency; the
 * function runs with default JVM flags and with the recommended cold-start flags.
 */
final class OverheadBench {
  static final String P = "projects/bench-project/locations/us-central1";
  static final int[] CLIENTS = {1, 32};
  static final Map<String, List<String>> FLAGS = new LinkedHashMap<>();

  static {
    FLAGS.put("default", List.of());
    FLAGS.put(
        "TieredStopAtLevel=1 + SerialGC", List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
  }

  private OverheadBench() {}

  /** Latency percentiles and throughput of one measured point. */
  record Point(double p50, double p99, double opsPerS) {}

  static void run(FusionCancelBench.Settings settings, BenchSupport.Summary summary)
      throws Exception {
    int[] perPoint = settings.quick() ? new int[] {300, 1000} : new int[] {1000, 4000};
    Map<String, List<Point>> results = new LinkedHashMap<>();
    List<BenchSupport.Jvm> functions = new ArrayList<>();
    try (FusionEmulator emulator = FusionEmulator.builder().port(0).quotaPerMinute(0).build()) {
      for (List<String> flags : FLAGS.values()) {
        // The emulator has no quota here and this section measures the latency the function adds,
        // not its limiter: with the default budget (540/min, two requests per cancel) 32 clients
        // would spend their time waiting for permits.
        functions.add(
            BenchSupport.Jvm.start(
                ColdStartBench.CANCEL,
                Map.of(
                    "DATAFUSION_ENDPOINT", emulator.endpoint(), "REQUESTS_PER_MINUTE", "1000000"),
                flags));
      }
      for (BenchSupport.Jvm fn : functions) {
        dev.fusioncancel.testing.Ports.awaitOpen(fn.port(), Duration.ofSeconds(60), fn.process());
        progress("overhead: warming up a function JVM and the client");
        measure(emulator, fn, 32, settings.quick() ? 1000 : 4000);
      }
      measure(emulator, null, 32, settings.quick() ? 500 : 2000);
      for (int round = 1; round <= settings.runs(); round++) {
        for (int i = 0; i < CLIENTS.length; i++) {
          int c = CLIENTS[i];
          progress("overhead: round %d/%d, %d client(s)", round, settings.runs(), c);
          results
              .computeIfAbsent("direct/" + c, k -> new ArrayList<>())
              .add(measure(emulator, null, c, perPoint[i]));
          int f = 0;
          for (String flags : FLAGS.keySet()) {
            results
                .computeIfAbsent(flags + "/" + c, k -> new ArrayList<>())
                .add(measure(emulator, functions.get(f++), c, perPoint[i]));
          }
        }
      }
    } finally {
      functions.forEach(BenchSupport.Jvm::close);
    }
    BenchSupport.Table t =
        new BenchSupport.Table(
            "HTTP overhead: CancelHttpFunction POST / (wait 0s) vs the emulator directly"
                + " (POST :cancel then GET); median of "
                + settings.runs()
                + " rounds",
            "clients",
            "function JVM flags",
            "direct p50 ms",
            "direct p99 ms",
            "function p50 ms",
            "function p99 ms",
            "added p50 ms",
            "added p99 ms",
            "function ops/s");
    for (int c : CLIENTS) {
      double dp50 = median(results.get("direct/" + c).stream().map(Point::p50).toList());
      double dp99 = median(results.get("direct/" + c).stream().map(Point::p99).toList());
      for (String flags : FLAGS.keySet()) {
        List<Point> points = results.get(flags + "/" + c);
        double fp50 = median(points.stream().map(Point::p50).toList());
        double fp99 = median(points.stream().map(Point::p99).toList());
        double rate = median(points.stream().map(Point::opsPerS).toList());
        t.row(c, flags, dp50, dp99, fp50, fp99, fp50 - dp50, fp99 - dp99, rate);
        if (flags.equals("default")) {
          if (c == 32) {
            summary.put("overhead_p99_ms", fp99 - dp99);
            summary.put("overhead_p50_ms", fp50 - dp50);
            summary.put("http_ops_per_s_32", rate);
          } else {
            summary.put("overhead_p99_ms_c1", fp99 - dp99);
          }
        } else if (c == 32) {
          summary.put("overhead_p99_ms_tuned", fp99 - dp99);
          summary.put("http_ops_per_s_32_tuned", rate);
        }
      }
    }
    t.note(
        "Everything shares 2 cores: the client, the emulator (in the benchmark JVM) and the"
            + " function JVMs. Each sample is one operation: cancel + GET direct, or one POST /"
            + " through the function (which itself makes the cancel + GET). Direct and function"
            + " points alternate within each round.");
    t.print();
  }

  /**
   * Cancels {@code n} fresh operations with {@code clients} threads, through {@code fn} or, when it
   * is null, directly; answers the latencies.
   */
  private static Point measure(FusionEmulator emulator, BenchSupport.Jvm fn, int clients, int n)
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
                  if (fn != null) {
                    expect200(
                        HTTP.send(
                            BenchSupport.postJson(
                                fn.url() + "/", "{\"name\":\"" + name + "\",\"wait\":\"0s\"}"),
                            HttpResponse.BodyHandlers.ofString()));
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
