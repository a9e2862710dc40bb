package dev.fusioncancel.bench;

import static dev.fusioncancel.bench.BenchSupport.HTTP;
import static dev.fusioncancel.bench.BenchSupport.median;
import static dev.fusioncancel.bench.BenchSupport.progress;

import dev.fusioncancel.emulator.Behaviour;
import dev.fusioncancel.emulator.FusionEmulator;
import dev.fusioncancel.emulator.Journal;
import dev.fusioncancel.emulator.Latency;
import dev.fusioncancel.testing.EventarcBridge;
import dev.fusioncancel.testing.PubSubEmulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Section 1: the real {@code BulkCancelFunction} under the invoker cancels 2000 operations in two
 * locations against the emulator's per-location quota, publishing outcomes to the Pub/Sub emulator.
 */
final class BulkThroughputBench {
  static final String TARGET = "dev.fusioncancel.functions.BulkCancelFunction";
  static final String P1 = "projects/bench-project/locations/us-central1";
  static final String P2 = "projects/bench-project/locations/europe-west1";
  static final int QUOTA_PER_MINUTE = 6000;

  /** The budget is set to the whole quota, as a user would: the limiter must still avoid 429s. */
  static final int REQUESTS_PER_MINUTE = QUOTA_PER_MINUTE;

  static final Duration LATENCY = Duration.ofMillis(50);

  /** Control-plane-like latency: heavy-tailed, p50 150 ms, p99 1.5 s, seeded. */
  static Latency heavyTail() {
    return Latency.lognormal(Duration.ofMillis(150), Duration.ofMillis(1500), 14);
  }

  /** The figures of one run. */
  record Run(
      int ops,
      int outcomes,
      boolean summarySeen,
      int status,
      double responseS,
      double lastOutcomeS,
      int calls,
      double callSpanS,
      int sendingCalls,
      double sendingSpanS,
      long rejections,
      long rejectionsAfter1s,
      double maxLocationRate,
      Map<String, Integer> counts,
      List<Journal.Entry> journal) {
    double opsPerS() {
      return outcomes / lastOutcomeS;
    }

    double quotaEfficiency() {
      return (sendingCalls / sendingSpanS) / (2 * QUOTA_PER_MINUTE / 60.0);
    }

    double callsPerOp() {
      return (double) calls / ops;
    }

    double throttledShare() {
      return calls == 0 ? Double.NaN : (double) rejections / calls;
    }

    int errors() {
      return counts.getOrDefault("ERROR", 0);
    }
  }

  private BulkThroughputBench() {}

  static void run(FusionCancelBench.Settings settings, BenchSupport.Summary summary)
      throws Exception {
    int perLocation = settings.quick() ? 300 : 1000;
    List<Run> runs = new ArrayList<>();
    double rss;
    Run heavy;
    try (PubSubEmulator pubsub = PubSubEmulator.startOrConnect();
        FusionEmulator emulator =
            FusionEmulator.builder().port(0).quotaPerMinute(QUOTA_PER_MINUTE).build()) {
      emulator.faults().latency(LATENCY);
      pubsub.createTopic("bench-outcomes");
      pubsub.createSubscription("bench-outcomes-sub", "bench-outcomes");
      pubsub.createTopic("bench-requests");
      pubsub.createSubscription("bench-requests-sub", "bench-requests");
      Map<String, String> env =
          Map.of(
              "DATAFUSION_ENDPOINT", emulator.endpoint(),
              "OUTCOME_TOPIC", PubSubEmulator.topicName("bench-outcomes"),
              "PUBSUB_EMULATOR_HOST", pubsub.hostPort(),
              "REQUESTS_PER_MINUTE", Integer.toString(REQUESTS_PER_MINUTE),
              "MAX_WAIT", "60s",
              "GOOGLE_CLOUD_PROJECT", PubSubEmulator.PROJECT);
      // -Dbench.bulkFlags="-XX:NativeMemoryTracking=summary ..." for investigating memory.
      List<String> flags = extraFlags();
      try (BenchSupport.Jvm function = BenchSupport.Jvm.start(TARGET, env, flags);
          EventarcBridge followUps =
              new EventarcBridge(
                  pubsub,
                  "bench-requests",
                  "bench-requests-sub",
                  function.url(),
                  EventarcBridge.Mode.BINARY)) {
        dev.fusioncancel.testing.Ports.awaitOpen(
            function.port(), Duration.ofSeconds(60), function.process());
        for (int i = 1; i <= settings.runs(); i++) {
          progress("bulk: run %d/%d, %d operations", i, settings.runs(), 2 * perLocation);
          Run r =
              once(
                  emulator, pubsub, function, perLocation, "bench-run-" + i, Latency.flat(LATENCY));
          runs.add(r);
          progress(
              "bulk: %d outcomes in %.1f s, %d calls, %d x 429, status %d",
              r.outcomes(), r.lastOutcomeS(), r.calls(), r.rejections(), r.status());
        }
        rss = function.rssMib();
        if (flags.stream().anyMatch(f -> f.startsWith("-XX:NativeMemoryTracking"))) {
          BenchSupport.jcmd(function, "VM.native_memory", "summary");
          BenchSupport.jcmd(function, "GC.heap_info");
          BenchSupport.jcmd(function, "GC.class_histogram");
        }
        progress("bulk: one more run with heavy-tailed latency (%s)", heavyTail().describe());
        heavy = once(emulator, pubsub, function, perLocation, "bench-run-heavy", heavyTail());
      }
    }
    BenchSupport.Table t =
        new BenchSupport.Table(
            "Bulk throughput: BulkCancelFunction, "
                + 2 * perLocation
                + " ops in 2 locations, quota "
                + QUOTA_PER_MINUTE
                + "/min/location (sliding 60 s window), REQUESTS_PER_MINUTE="
                + REQUESTS_PER_MINUTE
                + " (= quota), function JVM "
                + String.join(" ", extraFlags()),
            "run",
            "latency",
            "HTTP",
            "outcomes",
            "function answered (s)",
            "last outcome pulled (s)",
            "ops/s",
            "API calls",
            "calls/op",
            "request rate, whole run (/s)",
            "quota efficiency (first call to last cancel)",
            "max 1-s rate, one location (/s)",
            "429 total",
            "429 share",
            "outcome counts");
    for (int i = 0; i < runs.size(); i++) {
      Run r = runs.get(i);
      t.row(
          i + 1,
          "50 ms flat",
          r.status(),
          r.outcomes() + (r.summarySeen() ? " + summary" : " (no summary)"),
          r.responseS(),
          r.lastOutcomeS(),
          r.opsPerS(),
          r.calls(),
          r.callsPerOp(),
          r.calls() / r.callSpanS(),
          r.quotaEfficiency(),
          r.maxLocationRate(),
          r.rejections(),
          pct(r.throttledShare()),
          r.counts().toString());
    }
    double opsPerS = median(runs.stream().map(Run::opsPerS).toList());
    double eff = median(runs.stream().map(Run::quotaEfficiency).toList());
    double cpo = median(runs.stream().map(Run::callsPerOp).toList());
    double rej = median(runs.stream().map(r -> (double) r.rejections()).toList());
    double share = median(runs.stream().map(Run::throttledShare).toList());
    long errors = runs.stream().mapToLong(Run::errors).sum();
    double last = median(runs.stream().map(Run::lastOutcomeS).toList());
    t.row("median", "", "", "", "", last, opsPerS, "", cpo, "", eff, "", rej, pct(share), "");
    Run z = heavy;
    t.row(
        "heavy tail",
        "p50 150 ms, p99 1.5 s",
        z.status(),
        z.outcomes() + (z.summarySeen() ? " + summary" : " (no summary)"),
        z.responseS(),
        z.lastOutcomeS(),
        z.opsPerS(),
        z.calls(),
        z.callsPerOp(),
        z.calls() / z.callSpanS(),
        z.quotaEfficiency(),
        z.maxLocationRate(),
        z.rejections(),
        pct(z.throttledShare()),
        z.counts().toString());
    t.note(
        "Targets with the budget set to the quota: quota efficiency >= 0.97, 429s <= 0.5% of"
            + " requests, zero ERROR outcomes, calls/op <= 1.2. Quota rate = 2 x "
            + QUOTA_PER_MINUTE
            + "/min (the service's quota, not our budget); quota efficiency = calls from the first"
            + " call to the last cancel / that span / quota rate (after the last cancel the run"
            + " waits for operations to finish, not for quota); whole-run request rate = API calls /"
            + " (last call - first call). The \"heavy tail\" row is one extra run with lognormal latency"
            + " (not part of the medians). The function JVM runs as deployed (Terraform's default"
            + " JAVA_TOOL_OPTIONS, sized for a 512Mi instance). Function JVM RSS after the three"
            + " flat runs: "
            + BenchSupport.num(rss)
            + " MiB.");
    t.print();
    Map<String, List<Instant>> series = new java.util.LinkedHashMap<>();
    Run lastFlat = runs.get(runs.size() - 1);
    for (Map.Entry<String, List<Instant>> e : byLocation(lastFlat.journal()).entrySet()) {
      series.put("fusion-cancel " + e.getKey() + ", 50 ms flat", e.getValue());
    }
    for (Map.Entry<String, List<Instant>> e : byLocation(z.journal()).entrySet()) {
      series.put("fusion-cancel " + e.getKey() + ", heavy tail", e.getValue());
    }
    Charts.rate(
        "bulk-rate.png",
        "BulkCancelFunction: requests per second per location (budget = quota)",
        series,
        QUOTA_PER_MINUTE / 60.0,
        true);
    summary.put("ops_per_s", opsPerS);
    summary.put("quota_efficiency", eff);
    summary.put("calls_per_op", cpo);
    summary.put("throttled_429", (long) rej);
    summary.put("throttled_429_share", share);
    summary.put("error_outcomes", errors + z.errors());
    summary.put("bulk_last_outcome_s", last);
    summary.put("bulk_rss_mib", rss);
    summary.put("ops_per_s_heavy", z.opsPerS());
    summary.put("bulk_last_outcome_s_heavy", z.lastOutcomeS());
    summary.put("quota_efficiency_heavy", z.quotaEfficiency());
    summary.put("throttled_429_share_heavy", z.throttledShare());
  }

  /**
   * The function JVM as deployed: Terraform's default {@code java_tool_options} on its default
   * 512Mi instance ({@code -XX:MaxRAM=512m} makes the JVM size itself as it does inside that
   * container, instead of for this machine's RAM).
   */
  static final List<String> DEPLOYED =
      List.of("-XX:MaxRAM=512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  /** {@link #DEPLOYED}, or {@code BENCH_BULK_FLAGS} (e.g. with NMT) when set. */
  static List<String> extraFlags() {
    String f = System.getProperty("bench.bulkFlags", "").trim();
    return f.isEmpty() ? DEPLOYED : List.of(f.split("\\s+"));
  }

  static String pct(double share) {
    return Double.isNaN(share) ? "NA" : BenchSupport.fmt("%.2f%%", 100 * share);
  }

  /** Request times per location ({@code us-central1}, ...), from the emulator journal. */
  static Map<String, List<Instant>> byLocation(List<Journal.Entry> journal) {
    Map<String, List<Instant>> out = new TreeMap<>();
    for (Journal.Entry e : journal) {
      String[] s = e.path().split("/");
      String location = s.length > 5 ? s[5] : "?";
      out.computeIfAbsent(location, l -> new ArrayList<>()).add(e.time());
    }
    return out;
  }

  private static Run once(
      FusionEmulator emulator,
      PubSubEmulator pubsub,
      BenchSupport.Jvm function,
      int perLocation,
      String messageId,
      Latency latency)
      throws Exception {
    emulator.reset();
    emulator.faults().latency(latency);
    emulator.seedMany(P1, perLocation, Behaviour.cancellable());
    emulator.seedMany(P2, perLocation, Behaviour.cancellable());
    pubsub.drain("bench-outcomes-sub", Integer.MAX_VALUE, Duration.ofMillis(300));
    int ops = 2 * perLocation;
    String request =
        "{\"parents\":[\"" + P1 + "\",\"" + P2 + "\"],\"limit\":5000,\"wait\":\"30s\"}";
    long t0 = System.nanoTime();
    var future =
        HTTP.sendAsync(
                EventarcBridge.cloudEvent(
                    function.url(),
                    EventarcBridge.Mode.BINARY,
                    PubSubEmulator.topicName("bench-requests"),
                    "bench-requests-sub",
                    messageId,
                    request,
                    Map.of(),
                    java.time.Instant.now()),
                HttpResponse.BodyHandlers.ofString())
            .thenApply(r -> new Answer(r.statusCode(), System.nanoTime()));
    int outcomes = 0;
    boolean summarySeen = false;
    long lastOutcome = t0;
    long quietSince = System.nanoTime();
    Map<String, Integer> counts = new TreeMap<>();
    long deadline = t0 + Duration.ofMinutes(4).toNanos();
    while (System.nanoTime() < deadline) {
      List<PubSubEmulator.Received> batch = pubsub.pull("bench-outcomes-sub", 1000);
      long now = System.nanoTime();
      pubsub.ack("bench-outcomes-sub", batch.stream().map(PubSubEmulator.Received::ackId).toList());
      for (PubSubEmulator.Received m : batch) {
        if ("summary".equals(m.attributes().get("type"))) {
          summarySeen = true;
        } else {
          outcomes++;
          lastOutcome = now;
          counts.merge(m.attributes().getOrDefault("outcome", "?"), 1, Integer::sum);
        }
      }
      if (!batch.isEmpty()) {
        quietSince = now;
      }
      if (outcomes >= ops && summarySeen) {
        break;
      }
      boolean quiet = now - quietSince > Duration.ofSeconds(15).toNanos();
      if (future.isDone() && quiet) {
        break;
      }
      if (batch.isEmpty()) {
        Thread.sleep(20);
      }
    }
    int status = -1;
    double responseS = Double.NaN;
    try {
      Answer answer =
          future.get(
              Math.max(1, (deadline - System.nanoTime()) / 1_000_000),
              java.util.concurrent.TimeUnit.MILLISECONDS);
      status = answer.status();
      responseS = (answer.atNanos() - t0) / 1e9;
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      progress("bulk: the function did not answer: %s", e);
    }
    List<Journal.Entry> journal = new ArrayList<>(emulator.journal().entries());
    // Journaled when answered, timed at arrival: sort by arrival.
    journal.sort(java.util.Comparator.comparing(Journal.Entry::time));
    Instant first = journal.isEmpty() ? Instant.EPOCH : journal.get(0).time();
    Instant lastCall = journal.isEmpty() ? Instant.EPOCH : journal.get(journal.size() - 1).time();
    double span = Math.max(1e-3, Duration.between(first, lastCall).toNanos() / 1e9);
    // The rate achieved while there was work waiting for the quota: first call to last cancel
    // (the check phase after it waits for operations to finish, not for the quota).
    Instant lastCancel = first;
    int sending = 0;
    for (int i = 0; i < journal.size(); i++) {
      if (journal.get(i).path().endsWith(":cancel")) {
        lastCancel = journal.get(i).time();
        sending = i + 1;
      }
    }
    double sendingSpan = Math.max(1e-3, Duration.between(first, lastCancel).toNanos() / 1e9);
    Instant cutoff = first.plusSeconds(1);
    long after1s =
        journal.stream().filter(e -> e.status() == 429 && e.time().isAfter(cutoff)).count();
    return new Run(
        ops,
        outcomes,
        summarySeen,
        status,
        responseS,
        (lastOutcome - t0) / 1e9,
        journal.size(),
        span,
        sending,
        sendingSpan,
        emulator.counters().quotaRejections(),
        after1s,
        maxOneSecondRate(journal),
        counts,
        journal);
  }

  /** The function's HTTP status and when it answered. */
  private record Answer(int status, long atNanos) {}

  /** The highest number of calls to one location in any one-second bucket. */
  static double maxOneSecondRate(List<Journal.Entry> journal) {
    Map<String, Integer> buckets = new java.util.HashMap<>();
    int max = 0;
    for (Journal.Entry e : journal) {
      String[] s = e.path().split("/");
      String location = s.length > 5 ? s[5] : "?";
      String key = location + "@" + e.time().getEpochSecond();
      max = Math.max(max, buckets.merge(key, 1, Integer::sum));
    }
    return max;
  }
}
