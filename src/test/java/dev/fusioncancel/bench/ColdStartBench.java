package dev.fusioncancel.bench;

import static dev.fusioncancel.bench.BenchSupport.median;
import static dev.fusioncancel.bench.BenchSupport.progress;

import dev.fusioncancel.client.TestTls;
import dev.fusioncancel.emulator.Behaviour;
import dev.fusioncancel.emulator.FusionEmulator;
import dev.fusioncancel.testing.EventarcBridge;
import dev.fusioncancel.testing.FakeMetadataServer;
import dev.fusioncancel.testing.PubSubEmulator;
import dev.fusioncancel.testing.TlsFront;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Section 3: time from JVM launch to the first answered request under the invoker, for the HTTP
 * function against a hello-world function, and for the bulk function's first event, with several
 * JVM flag sets; RSS after the first request. Every launch has the deployed shape (Cloud Functions'
 * Java buildpack): {@code java [flags] -jar <invoker jar> --classpath <main jar>:dependency/*}, the
 * hello-world function alone in its own jar.
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

  /** Flags that can go into JAVA_TOOL_OPTIONS on Cloud Functions as they are. */
  static final Variant RECOMMENDED =
      new Variant(
          "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
          List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
          false);

  /** The recommended flags plus an AppCDS archive (needs the archive built for the exact JDK). */
  static final Variant APPCDS_TUNED =
      new Variant(
          "AppCDS + TieredStopAtLevel=1 + SerialGC",
          List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
          true);

  static final Variant DEFAULT = new Variant("default", List.of(), false);

  static final List<Variant> VARIANTS =
      List.of(
          // -Xshare:off and -XX:+UseSerialGC alone were measured before (docs/benchmarks.md:
          // slower,
          // and no effect) and are left out to keep the run short.
          DEFAULT,
          new Variant("-XX:TieredStopAtLevel=1", List.of("-XX:TieredStopAtLevel=1"), false),
          RECOMMENDED,
          new Variant("AppCDS", List.of(), true),
          APPCDS_TUNED);

  static void run(FusionCancelBench.Settings settings, BenchSupport.Summary summary)
      throws Exception {
    Path archives = settings.repo().resolve("target/bench/cds");
    Files.createDirectories(archives);
    int runs = settings.runs() + 4;
    Map<String, List<double[]>> hello = samples();
    Map<String, List<double[]>> cancel = samples();
    Map<String, List<double[]>> bulk = samples();
    List<Variant> bulkVariants = List.of(DEFAULT, RECOMMENDED, APPCDS_TUNED);
    List<String> archived = new ArrayList<>();
    PubSubEmulator pubsub = null;
    try {
      pubsub = PubSubEmulator.startOrConnect();
      pubsub.createTopic("bench-cold-outcomes");
      pubsub.createTopic("bench-cold-requests");
    } catch (Exception | Error e) {
      progress("cold start: no Pub/Sub emulator (%s); the bulk function is skipped", e);
      pubsub = null;
    }
    List<double[]> helloTls = new ArrayList<>();
    List<double[]> cancelTls = new ArrayList<>();
    Path home = Files.createTempDirectory("bench-cold-home");
    try (FusionEmulator emulator = FusionEmulator.builder().port(0).quotaPerMinute(0).build();
        TlsFront front = new TlsFront(emulator.endpoint());
        FakeMetadataServer metadata = new FakeMetadataServer("ya29.bench-cold-token", 0)) {
      Map<String, String> httpEnv = Map.of("DATAFUSION_ENDPOINT", emulator.endpoint());
      // As in production: https (a TLS front with a test certificate the JVM is told to trust)
      // and Application Default Credentials from a metadata server, so the first request also
      // initialises TLS and fetches a token. Hello gets the same flags.
      Variant tls = tlsVariant(home);
      Fn cancelTlsFn =
          new Fn(
              CANCEL,
              functions(),
              Map.of(
                  "DATAFUSION_ENDPOINT",
                  front.endpoint(),
                  "GCE_METADATA_HOST",
                  metadata.hostPort(),
                  "HOME",
                  home.toString()),
              emulator,
              pubsub);
      Map<String, String> bulkEnv =
          Map.of(
              "DATAFUSION_ENDPOINT",
              emulator.endpoint(),
              "OUTCOME_TOPIC",
              PubSubEmulator.topicName("bench-cold-outcomes"),
              "PUBSUB_EMULATOR_HOST",
              pubsub == null ? "127.0.0.1:1" : pubsub.hostPort(),
              "GOOGLE_CLOUD_PROJECT",
              PubSubEmulator.PROJECT);
      Fn helloFn = new Fn(HELLO, hello(), Map.of(), emulator, pubsub);
      Fn cancelFn = new Fn(CANCEL, functions(), httpEnv, emulator, pubsub);
      Fn bulkFn = new Fn(BulkThroughputBench.TARGET, functions(), bulkEnv, emulator, pubsub);
      progress("cold start: warm-up launches and AppCDS training runs");
      List<Fn> fns =
          pubsub == null ? List.of(helloFn, cancelFn) : List.of(helloFn, cancelFn, bulkFn);
      once(archives, tls, cancelTlsFn);
      for (Fn fn : fns) {
        try {
          once(archives, DEFAULT, fn);
          for (Variant v : VARIANTS) {
            if (v.appCds()) {
              archived.add(archiveCheck(archives, v, fn, archive(archives, v, fn)));
            }
          }
        } catch (RuntimeException e) {
          progress("cold start: %s failed: %s", fn.target(), e.getMessage());
        }
      }
      // Rounds interleave the variants, so drift on a noisy machine hits all of them alike.
      for (int round = 1; round <= runs; round++) {
        progress("cold start: round %d/%d", round, runs);
        helloTls.add(once(archives, tls, helloFn));
        cancelTls.add(once(archives, tls, cancelTlsFn));
        for (Variant v : VARIANTS) {
          hello.get(v.name()).add(once(archives, v, helloFn));
          cancel.get(v.name()).add(once(archives, v, cancelFn));
          if (pubsub != null && bulkVariants.contains(v)) {
            try {
              bulk.get(v.name()).add(once(archives, v, bulkFn));
            } catch (RuntimeException e) {
              progress("cold start: bulk function failed: %s", e.getMessage());
            }
          }
        }
      }
    } finally {
      if (pubsub != null) {
        pubsub.close();
      }
    }
    BenchSupport.Table t =
        new BenchSupport.Table(
            "Cold start: JVM launch to first answered request under the invoker, launched as"
                + " deployed (median of "
                + runs
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
      Point h = point(hello.get(v.name()));
      Point c = point(cancel.get(v.name()));
      Point b = bulkVariants.contains(v) ? point(bulk.get(v.name())) : null;
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
    Point ht = point(helloTls);
    Point ct = point(cancelTls);
    t.row(
        "default, https + ADC (as in production)",
        ht.ms(),
        ct.ms(),
        ct.ms() / ht.ms(),
        ht.rssMib(),
        ct.rssMib(),
        "",
        "");
    t.note(
        "The last row: CancelHttpFunction calls the emulator through a TLS front (test certificate,"
            + " trusted with -Djavax.net.ssl.trustStore) and gets its token from a metadata server"
            + " (GCE_METADATA_HOST), so its first request also sets up TLS and fetches an access"
            + " token, as in production; HelloHttp runs with the same flags. Not in the target,"
            + " which is the loopback figure of the first row.");
    t.note(
        "Every launch is in the deployed shape of Cloud Functions' Java buildpack, with the same"
            + " invoker jar and flags for all: `java [flags] "
            + functions().shown()
            + " --target <class> --port <port>` ("
            + functions().wildcardJars()
            + " runtime jars from `mvn dependency:copy-dependencies -Dmdep.prependGroupId"
            + " -DincludeScope=runtime`); HelloHttp is deployed alone: `"
            + hello().shown()
            + "` (HelloHttp.class only).");
    t.note(
        "AppCDS check, one more launch per archive with -Xlog:class+load up to the first answer"
            + " (the invoker loads the function's classes from --classpath in its own class"
            + " loader; JDK 17's dynamic archive leaves out classes the training run loaded but"
            + " never linked): "
            + (archived.isEmpty() ? "no archive was checked" : String.join("; ", archived))
            + ".");
    t.note(
        "First request: HelloHttp GET /; CancelHttpFunction POST / {name, wait 0s} against the"
            + " emulator (no quota, no latency); BulkCancelFunction one messagePublished CloudEvent"
            + " for one operation (includes Publisher creation and publishing). AppCDS: one"
            + " training run per function with -XX:ArchiveClassesAtExit, then"
            + " -XX:SharedArchiveFile. RSS = VmRSS right after the first answer.");
    t.print();
    Map<String, List<Double>> boxes = new LinkedHashMap<>();
    for (Variant v : VARIANTS) {
      String label = shortName(v);
      boxes.put("Hello " + label, msOf(hello.get(v.name())));
      boxes.put("Cancel " + label, msOf(cancel.get(v.name())));
      if (bulkVariants.contains(v)) {
        boxes.put("Bulk " + label, msOf(bulk.get(v.name())));
      }
    }
    Charts.distribution(
        "cold-start.png",
        "Cold start, launched as deployed: JVM launch to first answer, "
            + runs
            + " launches per box (C1 = -XX:TieredStopAtLevel=1, Serial = -XX:+UseSerialGC)",
        boxes);
    Point d = point(cancel.get(DEFAULT.name()));
    Point dh = point(hello.get(DEFAULT.name()));
    Point rc = point(cancel.get(RECOMMENDED.name()));
    Point rh = point(hello.get(RECOMMENDED.name()));
    Point ac = point(cancel.get(APPCDS_TUNED.name()));
    Point ah = point(hello.get(APPCDS_TUNED.name()));
    summary.put("cold_start_ratio", d.ms() / dh.ms());
    summary.put("cold_start_ms", d.ms());
    summary.put("cold_start_hello_ms", dh.ms());
    summary.put("rss_mib", d.rssMib());
    summary.put("cold_start_bulk_ms", point(bulk.get(DEFAULT.name())).ms());
    summary.put("cold_start_ratio_tuned", rc.ms() / rh.ms());
    summary.put("cold_start_ms_tuned", rc.ms());
    summary.put("rss_mib_tuned", rc.rssMib());
    summary.put("cold_start_bulk_ms_tuned", point(bulk.get(RECOMMENDED.name())).ms());
    summary.put("cold_start_ratio_tls", ct.ms() / ht.ms());
    summary.put("cold_start_ms_tls", ct.ms());
    summary.put("cold_start_ratio_appcds", ac.ms() / ah.ms());
    summary.put("cold_start_ms_appcds", ac.ms());
    summary.put("cold_start_bulk_ms_appcds", point(bulk.get(APPCDS_TUNED.name())).ms());
  }

  /**
   * A function to start: its target, how it is deployed, its environment and the emulators its
   * first request needs.
   */
  private record Fn(
      String target,
      BenchSupport.Launch launch,
      Map<String, String> env,
      FusionEmulator emulator,
      PubSubEmulator pubsub) {}

  private static BenchSupport.Launch functions() {
    return BenchSupport.Launch.deployedFunctions();
  }

  private static BenchSupport.Launch hello() {
    return BenchSupport.Launch.deployedHello();
  }

  /** Default flags plus what an https endpoint with a test certificate and ADC need. */
  private static Variant tlsVariant(Path home) throws Exception {
    List<String> flags = new ArrayList<>(List.of(TestTls.trustStoreJvmArgs()));
    flags.add("-Duser.home=" + home);
    return new Variant("https + ADC", flags, false);
  }

  /** A label short enough for a chart axis: C1 = TieredStopAtLevel=1, Serial = UseSerialGC. */
  static String shortName(Variant v) {
    return v.name()
        .replace("-XX:TieredStopAtLevel=1", "C1")
        .replace("TieredStopAtLevel=1", "C1")
        .replace("-XX:+UseSerialGC", "Serial")
        .replace("SerialGC", "Serial")
        .replace(" + ", "+")
        .replace(" ", "+");
  }

  private static List<Double> msOf(List<double[]> samples) {
    return samples.stream().map(x -> x[0]).toList();
  }

  private static Map<String, List<double[]>> samples() {
    Map<String, List<double[]>> m = new LinkedHashMap<>();
    VARIANTS.forEach(v -> m.put(v.name(), new ArrayList<>()));
    return m;
  }

  private static Point point(List<double[]> samples) {
    return new Point(
        median(samples.stream().map(s -> s[0]).toList()),
        median(samples.stream().map(s -> s[1]).toList()));
  }

  private static Path jsa(Path archives, Variant v, Fn fn) {
    String simple = fn.target().substring(fn.target().lastIndexOf('.') + 1);
    return archives.resolve(simple + "-" + (v.flags().isEmpty() ? "plain" : "tuned") + ".jsa");
  }

  /**
   * A training run that writes the function's dynamic AppCDS archive for these flags; returns what
   * the dump left out and why (its "Skipping" warnings, JDK-generated hidden classes not counted).
   */
  private static Map<String, Long> archive(Path archives, Variant v, Fn fn) throws Exception {
    Path jsa = jsa(archives, v, fn);
    Files.deleteIfExists(jsa);
    List<String> train = new ArrayList<>(v.flags());
    train.add("-XX:ArchiveClassesAtExit=" + jsa);
    Map<String, Long> skipped = new TreeMap<>();
    try (BenchSupport.Jvm jvm = BenchSupport.Jvm.start(fn.launch(), fn.target(), fn.env(), train)) {
      for (int i = 0; i < 3; i++) {
        first(jvm, fn.target(), fn.emulator(), fn.pubsub());
      }
      jvm.stop();
      for (String line : jvm.output()) {
        Matcher m = SKIPPING.matcher(line);
        if (m.find() && !m.group(1).equals("Hidden class")) {
          skipped.merge(m.group(1), 1L, Long::sum);
        }
      }
    }
    if (!Files.exists(jsa)) {
      throw new IllegalStateException("no AppCDS archive was written for " + fn.target());
    }
    return skipped;
  }

  /** The dump's warning for a class it leaves out: {@code Skipping a/b/C: reason}. */
  private static final Pattern SKIPPING = Pattern.compile("\\[cds\\] Skipping \\S+: (.+)$");

  /** Where a class was loaded from: {@code source: file:/.../name.jar}. */
  private static final Pattern JAR_SOURCE = Pattern.compile("source: (?:jar:)?file:\\S*/([^/!]+)");

  /**
   * One launch with the archive and {@code -Xlog:class+load} up to the first answer: how many of
   * the project's classes came from the archive, and how many classes were still read from which
   * jars (with what the training run's dump left out). The JVM runs without an archive it cannot
   * map, silently, so this is what shows it was used.
   */
  private static String archiveCheck(Path archives, Variant v, Fn fn, Map<String, Long> skipped)
      throws Exception {
    List<String> flags = new ArrayList<>(v.flags());
    flags.add("-XX:SharedArchiveFile=" + jsa(archives, v, fn));
    flags.add("-Xlog:class+load=info");
    try (BenchSupport.Jvm jvm = BenchSupport.Jvm.start(fn.launch(), fn.target(), fn.env(), flags)) {
      first(jvm, fn.target(), fn.emulator(), fn.pubsub());
      long ours = 0;
      long oursArchived = 0;
      Map<String, Long> fromJars = new TreeMap<>();
      for (String line : jvm.output()) {
        if (!line.contains("[class,load]") || line.contains("/0x")) {
          continue; // generated at run time (lambdas, proxies): never from a jar or the archive
        }
        boolean shared = line.contains("source: shared objects file");
        if (line.contains("[class,load] dev.fusioncancel.")) {
          ours++;
          oursArchived += shared ? 1 : 0;
        }
        Matcher m = JAR_SOURCE.matcher(line);
        if (m.find()) {
          fromJars.merge(m.group(1), 1L, Long::sum);
        }
      }
      String simple = fn.target().substring(fn.target().lastIndexOf('.') + 1);
      String result =
          BenchSupport.fmt(
              "%s (%s): %d of %d dev.fusioncancel classes from the archive, %d classes still"
                  + " read from jars%s; the dump left out %s",
              simple,
              shortName(v),
              oursArchived,
              ours,
              fromJars.values().stream().mapToLong(Long::longValue).sum(),
              fromJars.isEmpty() ? "" : " " + top(fromJars, 3),
              skipped.isEmpty() ? "nothing" : top(skipped, 4));
      progress("cold start: AppCDS check: %s", result);
      return result;
    }
  }

  /** The {@code n} largest counts, as {@code (key n, key n, ...)}. */
  private static String top(Map<String, Long> counts, int n) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(n)
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(
            java.util.stream.Collectors.joining(", ", "(", counts.size() > n ? ", ...)" : ")"));
  }

  /** One launch: milliseconds from launch to the first 2xx answer, and RSS in MiB after it. */
  private static double[] once(Path archives, Variant v, Fn fn) throws Exception {
    List<String> flags = new ArrayList<>(v.flags());
    if (v.appCds()) {
      flags.add("-XX:SharedArchiveFile=" + jsa(archives, v, fn));
    }
    try (BenchSupport.Jvm jvm = BenchSupport.Jvm.start(fn.launch(), fn.target(), fn.env(), flags)) {
      long answered = first(jvm, fn.target(), fn.emulator(), fn.pubsub());
      return new double[] {(answered - jvm.launchedNanos()) / 1e6, jvm.rssMib()};
    }
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
              Map.of(),
              java.time.Instant.now());
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
