package dev.fusioncancel.bench;

import static dev.fusioncancel.bench.BenchSupport.HTTP;
import static dev.fusioncancel.bench.BenchSupport.median;
import static dev.fusioncancel.bench.BenchSupport.progress;

import dev.fusioncancel.emulator.Behaviour;
import dev.fusioncancel.emulator.FusionEmulator;
import dev.fusioncancel.emulator.Journal;
import dev.fusioncancel.emulator.SeededOperation;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Section 2: what people do today, on the same emulator settings: a curl loop, gcloud's generated
 * apitools client in a loop, and a naive concurrent client that ignores the quota.
 */
final class PeersBench {
  static final String P1 = BulkThroughputBench.P1;
  static final String P2 = BulkThroughputBench.P2;

  private PeersBench() {}

  /** Per-op rate of one peer run. */
  record Run(
      int ops,
      double seconds,
      int calls,
      long rejections,
      String note,
      List<dev.fusioncancel.emulator.Journal.Entry> journal) {
    double opsPerS() {
      return ops / seconds;
    }
  }

  static void run(FusionCancelBench.Settings settings, BenchSupport.Summary summary)
      throws Exception {
    int n = settings.quick() ? 40 : 200;
    List<Run> curl = new ArrayList<>();
    List<Run> apitools = new ArrayList<>();
    try (FusionEmulator emulator =
        FusionEmulator.builder()
            .port(0)
            .quotaPerMinute(BulkThroughputBench.QUOTA_PER_MINUTE)
            .build()) {
      Path names = Files.createTempFile("bench-names", ".txt");
      Path gcloudConfig = Files.createTempDirectory("bench-gcloud-config");
      boolean apitoolsReady = configureGcloud(settings, gcloudConfig, emulator.endpoint());
      for (int i = 1; i <= settings.runs(); i++) {
        progress("peers: curl loop run %d/%d, %d ops", i, settings.runs(), n);
        seed(emulator, n, names);
        curl.add(curlLoop(settings, emulator, names, n));
        if (apitoolsReady) {
          progress("peers: apitools loop run %d/%d, %d ops", i, settings.runs(), n);
          seed(emulator, n, names);
          apitools.add(apitoolsLoop(settings, emulator, names, gcloudConfig, n));
        }
      }
      Files.deleteIfExists(names);
    }
    progress("peers: naive 64-thread client on the real 600/min quota");
    Run naive = naive(settings.quick() ? 150 : 800);

    double curlRate = median(curl.stream().map(Run::opsPerS).toList());
    double apitoolsRate = median(apitools.stream().map(Run::opsPerS).toList());
    BenchSupport.Table t =
        new BenchSupport.Table(
            "Peers: same emulator settings (quota 6000/min/location, +50 ms), " + n + " ops a run",
            "peer",
            "runs",
            "median ops/s",
            "median s",
            "API calls/run",
            "429",
            "notes");
    t.row(
        "curl loop (POST :cancel, GET)",
        curl.size(),
        curlRate,
        median(curl.stream().map(Run::seconds).toList()),
        curl.isEmpty() ? "NA" : curl.get(0).calls(),
        curl.stream().mapToLong(Run::rejections).sum(),
        "one curl process per call");
    t.row(
        "gcloud apitools client loop (v1beta1)",
        apitools.size(),
        apitoolsRate,
        median(apitools.stream().map(Run::seconds).toList()),
        apitools.isEmpty() ? "NA" : apitools.get(0).calls(),
        apitools.stream().mapToLong(Run::rejections).sum(),
        apitools.isEmpty() ? "not run (no Cloud SDK python)" : apitools.get(0).note());
    t.row(
        "naive Java client, 64 threads, no limiter",
        1,
        naive.opsPerS(),
        naive.seconds(),
        naive.calls(),
        naive.rejections(),
        naive.note());
    t.note(
        "The naive client runs against Data Fusion's real quota (600/min/location) with "
            + naive.ops()
            + " ops in 2 locations, more calls than one minute allows; it retries a 429 after 1 s."
            + " The loops are timed from the first to the last call (interpreter start excluded).");
    t.print();
    // Requests per second per location over time: the loops (quota 6000/min) and the naive client
    // (the real 600/min), each against its own quota line.
    Map<String, List<java.time.Instant>> loops = new java.util.LinkedHashMap<>();
    if (!curl.isEmpty()) {
      BulkThroughputBench.byLocation(curl.get(curl.size() - 1).journal())
          .forEach((l, times) -> loops.put("curl loop " + l, times));
    }
    if (!apitools.isEmpty()) {
      BulkThroughputBench.byLocation(apitools.get(apitools.size() - 1).journal())
          .forEach((l, times) -> loops.put("apitools loop " + l, times));
    }
    Charts.rate(
        "peers-loops-rate.png",
        "Loops: requests per second per location (quota 6000/min/location)",
        loops,
        BulkThroughputBench.QUOTA_PER_MINUTE / 60.0,
        true);
    Map<String, List<java.time.Instant>> naiveSeries = new java.util.LinkedHashMap<>();
    BulkThroughputBench.byLocation(naive.journal())
        .forEach((l, times) -> naiveSeries.put("naive client " + l + " (all requests)", times));
    Charts.rate(
        "peers-naive-rate.png",
        "Naive 64-thread client: requests per second per location (real quota 600/min/location)",
        naiveSeries,
        10.0,
        true);
    summary.put("curl_ops_per_s", curlRate);
    summary.put("apitools_ops_per_s", apitoolsRate);
    summary.put("naive_429", naive.rejections());
    summary.put("naive_s", naive.seconds());
  }

  private static void seed(FusionEmulator emulator, int n, Path names) throws IOException {
    emulator.reset();
    emulator.faults().latency(BulkThroughputBench.LATENCY);
    List<String> all = new ArrayList<>();
    for (SeededOperation op : emulator.seedMany(P1, n / 2, Behaviour.cancellable())) {
      all.add(op.name());
    }
    for (SeededOperation op : emulator.seedMany(P2, n - n / 2, Behaviour.cancellable())) {
      all.add(op.name());
    }
    Files.write(names, all, StandardCharsets.UTF_8);
  }

  private static Run curlLoop(
      FusionCancelBench.Settings settings, FusionEmulator emulator, Path names, int n)
      throws Exception {
    Path script = settings.repo().resolve("bench/peers/curl-loop.sh");
    long t0 = System.nanoTime();
    String out =
        exec(List.of("bash", script.toString(), emulator.endpoint(), names.toString()), Map.of());
    double s = (System.nanoTime() - t0) / 1e9;
    return check("curl", out, emulator, n, s, "");
  }

  private static Run apitoolsLoop(
      FusionCancelBench.Settings settings,
      FusionEmulator emulator,
      Path names,
      Path gcloudConfig,
      int n)
      throws Exception {
    Path sdk = settings.sdkRoot();
    Path script = settings.repo().resolve("bench/peers/apitools-loop.py");
    String out =
        exec(
            List.of(
                sdk.resolve("platform/bundledpythonunix/bin/python3").toString(),
                script.toString(),
                names.toString()),
            Map.of(
                "CLOUDSDK_CONFIG",
                gcloudConfig.toString(),
                "PYTHONPATH",
                sdk.resolve("lib") + ":" + sdk.resolve("lib/third_party")));
    double loop = Double.parseDouble(value(out, "loop_s"));
    List<Journal.Entry> j = emulator.journal().entries();
    boolean altJson = !j.isEmpty() && j.stream().allMatch(e -> "alt=json".equals(e.query()));
    boolean noAuth = j.stream().noneMatch(Journal.Entry::authorization);
    return check(
        "apitools",
        out,
        emulator,
        n,
        loop,
        "v1beta1, ?alt=json on every call: "
            + altJson
            + ", no Authorization: "
            + noAuth
            + ", setup "
            + value(out, "setup_s")
            + " s excluded");
  }

  private static Run check(
      String peer, String out, FusionEmulator emulator, int n, double seconds, String note) {
    String ops = value(out, "ops");
    if (!Integer.toString(n).equals(ops)) {
      throw new IllegalStateException(peer + " loop did " + ops + " of " + n + " ops: " + out);
    }
    return new Run(
        n,
        seconds,
        emulator.journal().size(),
        emulator.counters().quotaRejections(),
        note,
        emulator.journal().entries());
  }

  /** Points a throwaway gcloud configuration at the emulator, without credentials. */
  private static boolean configureGcloud(
      FusionCancelBench.Settings settings, Path config, String endpoint) {
    if (settings.sdkRoot() == null
        || !Files.isExecutable(
            settings.sdkRoot().resolve("platform/bundledpythonunix/bin/python3"))) {
      progress("peers: no Cloud SDK bundled python; the apitools loop is skipped");
      return false;
    }
    try {
      Map<String, String> env = Map.of("CLOUDSDK_CONFIG", config.toString());
      exec(
          List.of("gcloud", "config", "set", "api_endpoint_overrides/datafusion", endpoint + "/"),
          env);
      exec(List.of("gcloud", "config", "set", "auth/disable_credentials", "true"), env);
      return true;
    } catch (Exception e) {
      progress("peers: cannot configure gcloud (%s); the apitools loop is skipped", e);
      return false;
    }
  }

  /** Runs a command in the benchmark's process group; answers stdout; fails on non-zero exit. */
  static String exec(List<String> cmd, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE);
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      byte[] err = new byte[0];
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException(
            cmd.get(0) + " failed: " + out + new String(err, StandardCharsets.UTF_8));
      }
      return out;
    } finally {
      p.destroyForcibly();
    }
  }

  private static String value(String out, String key) {
    for (String token : out.trim().split("\\s+")) {
      if (token.startsWith(key + "=")) {
        return token.substring(key.length() + 1);
      }
    }
    return "NA";
  }

  /**
   * A client that ignores the quota: 64 threads, cancel then GET for each operation, a 429 retried
   * after one second. Runs on the real 600/min/location quota with more calls than a minute allows.
   */
  static Run naive(int ops) throws Exception {
    try (FusionEmulator emulator = FusionEmulator.builder().port(0).quotaPerMinute(600).build()) {
      emulator.faults().latency(BulkThroughputBench.LATENCY);
      ConcurrentLinkedQueue<String> work = new ConcurrentLinkedQueue<>();
      List<SeededOperation> a = emulator.seedMany(P1, ops / 2, Behaviour.cancellable());
      List<SeededOperation> b = emulator.seedMany(P2, ops - ops / 2, Behaviour.cancellable());
      // Alternating locations: the fairest order for a client that knows nothing of quotas.
      for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
        if (i < a.size()) {
          work.add(a.get(i).name());
        }
        if (i < b.size()) {
          work.add(b.get(i).name());
        }
      }
      AtomicLong failures = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(64);
      long t0 = System.nanoTime();
      long deadline = t0 + Duration.ofMinutes(4).toNanos();
      for (int i = 0; i < 64; i++) {
        pool.execute(
            () -> {
              String name;
              while ((name = work.poll()) != null) {
                String url = emulator.endpoint() + "/v1/" + name;
                if (!untilNot429(BenchSupport.postEmpty(url + ":cancel"), deadline)
                    || !untilNot429(BenchSupport.get(url), deadline)) {
                  failures.incrementAndGet();
                }
              }
            });
      }
      pool.shutdown();
      pool.awaitTermination(5, TimeUnit.MINUTES);
      double s = (System.nanoTime() - t0) / 1e9;
      return new Run(
          ops,
          s,
          emulator.journal().size(),
          emulator.counters().quotaRejections(),
          "real quota 600/min/location; unfinished ops: " + failures.get(),
          emulator.journal().entries());
    }
  }

  private static boolean untilNot429(HttpRequest request, long deadline) {
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> r = HTTP.send(request, HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 429) {
          return r.statusCode() == 200;
        }
        Thread.sleep(1000);
      } catch (IOException e) {
        // retry
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }
}
