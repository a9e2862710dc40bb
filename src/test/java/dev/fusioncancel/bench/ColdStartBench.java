package dev.fusioncancel.bench;

import static dev.fusioncancel.bench.BenchSupport.median;
import static dev.fusioncancel.bench.BenchSupport.progress;

import dev.fusioncancel.emulator.Behaviour;
import dev.fusioncancel.emulator.FusionEmulator;
import dev.fusioncancel.testing.EventarcBridge;
import dev.fusioncancel.testing.PubSubEmulator;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Section 3: time from JVM launch to the first answered request under the invoker, for the HTTP
 * function against a hello-world function, and for the bulk function's first event, with several
 * JVM flag sets; RSS after the first request.
 */
final class ColdStartBench {
  static final String HELLO = "dev.fusioncancel.bench.HelloHttp";
  static final String CANCEL = "dev.fusioncancel.functions.CancelHttpFunction";
  static final String P = "projects/bench-project/locations/us-central1";

  private static final AtomicInteger SEQ = new AtomicInteger();

  private ColdStartBench() {}

  /** One flag set; {@code appCds} adds a per-function dynamic AppCDS archive. */
  record Variant(String name, List<String> flags, boolean appCds) {}

  /** Median launch-to-first-answer and RSS of one function under one variant. */
  record Point(double ms, double rssMib) {}

  static final List<Variant> VARIANTS =
      List.of(
          new Variant("default", List.of(), false),
          new Variant("-Xshare:off", List.of("-Xshare:off"), false),
          new Variant("-XX:TieredStopAtLevel=1", List.of("-XX:TieredStopAtLevel=1"), false),
          new Variant("-XX:+UseSerialGC", List.of("-XX:+UseSerialGC"), false),
          new Variant("AppCDS", List.of(), true),
          new Variant(
              "AppCDS + TieredStopAtLevel=1 + SerialGC",
              List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
              true));

  static void run(FusionCancelBench.Settings settings, BenchSupport.Summary summary)
      throws Exception {
    Path archives = settings.repo().resolve("target/bench/cds");
    Files.createDirectories(archives);
    Map<String, Point> hello = new LinkedHashMap<>();
    Map<String, Point> cancel = new LinkedHashMap<>();
    Map<String, Point> bulk = new LinkedHashMap<>();
    try (FusionEmulator emulator = FusionEmulator.builder().port(0).quotaPerMinute(0).build()) {
      Map<String, String> httpEnv = Map.of("DATAFUSION_ENDPOINT", emulator.endpoint());
      for (Variant v : VARIANTS) {
        progress("cold start: %s", v.name());
        hello.put(v.name(), measure(settings, archives, v, HELLO, Map.of(), emulator, null));
        cancel.put(v.name(), measure(settings, archives, v, CANCEL, httpEnv, emulator, null));
      }
      try (PubSubEmulator pubsub = PubSubEmulator.startOrConnect()) {
        pubsub.createTopic("bench-cold-outcomes");
        pubsub.createTopic("bench-cold-requests");
        Map<String, String> bulkEnv =
            Map.of(
                "DATAFUSION_ENDPOINT", emulator.endpoint(),
                "OUTCOME_TOPIC", PubSubEmulator.topicName("bench-cold-outcomes"),
                "PUBSUB_EMULATOR_HOST", pubsub.hostPort(),
                "GOOGLE_CLOUD_PROJECT", PubSubEmulator.PROJECT);
        for (Variant v : List.of(VARIANTS.get(0), VARIANTS.get(VARIANTS.size() - 1))) {
          progress("cold start: bulk, %s", v.name());
          try {
            bulk.put(
                v.name(),
                measure(
                    settings, archives, v, BulkThroughputBench.TARGET, bulkEnv, emulator, pubsub));
          } catch (RuntimeException e) {
            progress("cold start: bulk function failed: %s", e.getMessage());
            bulk.put(v.name(), new Point(Double.NaN, Double.NaN));
          }
        }
      }
    }
    BenchSupport.Table t =
        new BenchSupport.Table(
            "Cold start: JVM launch to first answered request under the invoker (median of "
                + settings.runs()
                + ")",
            "JVM flags",
            "HelloHttp ms",
            "CancelHttpFunction ms",
            "ratio",
            "Hello RSS MiB",
            "Cancel RSS MiB",
            "BulkCancelFunction first event ms",
            "Bulk RSS MiB");
    for (Variant v : VARIANTS) {
      Point h = hello.get(v.name());
      Point c = cancel.get(v.name());
      Point b = bulk.get(v.name());
      t.row(
          v.name(),
          h.ms(),
          c.ms(),
          c.ms() / h.ms(),
          h.rssMib(),
          c.rssMib(),
          b == null ? "" : BenchSupport.num(b.ms()),
          b == null ? "" : BenchSupport.num(b.rssMib()));
    }
    t.note(
        "First request: HelloHttp GET /; CancelHttpFunction POST / {name, wait 0s} against the"
            + " emulator (no quota, no latency); BulkCancelFunction one messagePublished CloudEvent"
            + " for one operation (includes Publisher creation and publishing). AppCDS: one"
            + " training run per function with -XX:ArchiveClassesAtExit, then"
            + " -XX:SharedArchiveFile. RSS = VmRSS right after the first answer.");
    t.print();
    Point d = cancel.get("default");
    summary.put("cold_start_ratio", d.ms() / hello.get("default").ms());
    summary.put("cold_start_ms", d.ms());
    summary.put("cold_start_hello_ms", hello.get("default").ms());
    summary.put("rss_mib", d.rssMib());
    Variant best = VARIANTS.get(VARIANTS.size() - 1);
    summary.put(
        "cold_start_ratio_tuned", cancel.get(best.name()).ms() / hello.get(best.name()).ms());
    summary.put("cold_start_ms_tuned", cancel.get(best.name()).ms());
    summary.put("cold_start_bulk_ms", bulk.get("default").ms());
    summary.put("cold_start_bulk_ms_tuned", bulk.get(best.name()).ms());
  }

  private static Point measure(
      FusionCancelBench.Settings settings,
      Path archives,
      Variant v,
      String target,
      Map<String, String> env,
      FusionEmulator emulator,
      PubSubEmulator pubsub)
      throws Exception {
    List<String> flags = new ArrayList<>(v.flags());
    if (v.appCds()) {
      Path jsa = archives.resolve(target.substring(target.lastIndexOf('.') + 1) + ".jsa");
      if (!Files.exists(jsa)) {
        List<String> train = new ArrayList<>(v.flags());
        train.add("-XX:ArchiveClassesAtExit=" + jsa);
        try (BenchSupport.Jvm jvm = BenchSupport.Jvm.start(target, env, train)) {
          for (int i = 0; i < 3; i++) {
            first(jvm, target, emulator, pubsub);
          }
        }
        if (!Files.exists(jsa)) {
          throw new IllegalStateException("no AppCDS archive was written for " + target);
        }
      }
      flags.add("-XX:SharedArchiveFile=" + jsa);
    }
    List<Double> ms = new ArrayList<>();
    List<Double> rss = new ArrayList<>();
    for (int i = 0; i < settings.runs(); i++) {
      try (BenchSupport.Jvm jvm = BenchSupport.Jvm.start(target, env, flags)) {
        long answered = first(jvm, target, emulator, pubsub);
        ms.add((answered - jvm.launchedNanos()) / 1e6);
        rss.add(jvm.rssMib());
      }
    }
    return new Point(median(ms), median(rss));
  }

  /** Sends the function's first request until it is answered 2xx; answers when (nanoTime). */
  private static long first(
      BenchSupport.Jvm jvm, String target, FusionEmulator emulator, PubSubEmulator pubsub)
      throws Exception {
    HttpRequest request;
    String op = P + "/operations/cold-" + SEQ.incrementAndGet();
    if (target.equals(HELLO)) {
      request = BenchSupport.get(jvm.url() + "/");
    } else if (target.equals(CANCEL)) {
      emulator.seed(op, Behaviour.cancellable());
      request = BenchSupport.postJson(jvm.url() + "/", "{\"name\":\"" + op + "\",\"wait\":\"0s\"}");
    } else {
      emulator.seed(op, Behaviour.cancellable());
      request =
          EventarcBridge.cloudEvent(
              jvm.url() + "/",
              EventarcBridge.Mode.BINARY,
              PubSubEmulator.topicName("bench-cold-requests"),
              "bench-cold-requests-sub",
              "cold-" + SEQ.get(),
              "{\"operations\":[\"" + op + "\"],\"wait\":\"0s\"}",
              Map.of());
    }
    HttpResponse<String> r = jvm.firstAnswer(request, Duration.ofSeconds(60));
    long at = System.nanoTime();
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          target + " answered " + r.statusCode() + ": " + r.body() + "\n" + jvm.tail());
    }
    return at;
  }
}
