package dev.fusioncancel.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Small shared pieces of the benchmark: statistics, tables, progress, and launching JVMs. */
final class BenchSupport {
  private BenchSupport() {}

  /** One HTTP/1.1 client for all benchmark traffic (loopback only). */
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  /** Progress goes to stderr so stdout holds only tables and the summary. */
  static void progress(String format, Object... args) {
    System.err.printf(
        Locale.ROOT, "[bench %tT] %s%n", System.currentTimeMillis(), fmt(format, args));
    System.err.flush();
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  /** The median of the values (NaN when empty). */
  static double median(List<Double> values) {
    double[] v =
        values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** The nearest-rank percentile {@code p} (0..100) of nanosecond samples, in milliseconds. */
  static double percentileMs(long[] nanos, double p) {
    if (nanos.length == 0) {
      return Double.NaN;
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }

  /** Formats a number for tables and the summary; NaN becomes {@code NA}. */
  static String num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "NA";
    }
    if (Math.abs(v) >= 100 || (v == Math.rint(v) && Math.abs(v) < 1e12)) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (Math.abs(v) >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** A Markdown table printed to stdout, so it can be pasted into docs/benchmarks.md. */
  static final class Table {
    private final String title;
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Table(String title, String... header) {
      this.title = title;
      this.header = List.of(header);
    }

    Table row(Object... cells) {
      List<String> r = new ArrayList<>();
      for (Object c : cells) {
        r.add(c instanceof Double d ? num(d) : String.valueOf(c));
      }
      rows.add(r);
      return this;
    }

    Table note(String note) {
      notes.add(note);
      return this;
    }

    void print() {
      StringBuilder out = new StringBuilder();
      out.append("\n### ").append(title).append("\n\n");
      out.append("| ").append(String.join(" | ", header)).append(" |\n");
      out.append("|").append("---|".repeat(header.size())).append("\n");
      for (List<String> r : rows) {
        out.append("| ").append(String.join(" | ", r)).append(" |\n");
      }
      for (String n : notes) {
        out.append("\n").append(n).append("\n");
      }
      System.out.print(out);
      System.out.flush();
    }
  }

  /** The ordered key=value figures that end up on the summary line. */
  static final class Summary {
    private final Map<String, String> values = new LinkedHashMap<>();

    void put(String key, double value) {
      values.put(key, num(value).replace(",", ""));
    }

    void put(String key, long value) {
      values.put(key, Long.toString(value));
    }

    void put(String key, String value) {
      values.put(key, value);
    }

    double number(String key) {
      try {
        return Double.parseDouble(values.getOrDefault(key, "NA"));
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }

    String line() {
      StringBuilder b = new StringBuilder();
      values.forEach(
          (k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
      return b.toString();
    }
  }

  /**
   * What comes between a function JVM's flags and {@code --target}: which invoker runs and where
   * the function's classes come from.
   */
  record Launch(List<String> args) {
    /** The harness's own test classpath with the invoker's main class (throughput sections). */
    static Launch testClasspath() {
      return new Launch(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              "com.google.cloud.functions.invoker.runner.Invoker"));
    }

    /**
     * As Cloud Functions' Java buildpack starts a function: {@code java -jar <invoker jar>
     * --classpath <classpath>}; the invoker loads the function from {@code classpath} (which may
     * hold {@code dir/*}) in its own class loader. Paths come from {@code bench/run}.
     */
    static Launch deployed(String classpathProperty) {
      return new Launch(
          List.of(
              "-jar", requiredProperty("bench.invokerJar"),
              "--classpath", requiredProperty(classpathProperty)));
    }

    /** The fusion-cancel functions as deployed: the main jar and its runtime dependencies. */
    static Launch deployedFunctions() {
      return deployed("bench.functionClasspath");
    }

    /** The hello-world baseline as deployed: a jar holding only its one class. */
    static Launch deployedHello() {
      return deployed("bench.helloClasspath");
    }

    /** The launch as a reader would type it: file names instead of absolute paths. */
    String shown() {
      List<String> out = new ArrayList<>();
      for (String arg : args) {
        List<String> parts = new ArrayList<>();
        for (String part : arg.split(":")) {
          Path path = Path.of(part);
          boolean wildcard = part.endsWith("/*") && path.getParent() != null;
          parts.add(
              wildcard
                  ? path.getParent().getFileName() + "/*"
                  : part.contains("/") ? String.valueOf(path.getFileName()) : part);
        }
        out.add(String.join(":", parts));
      }
      return String.join(" ", out);
    }

    /** How many jars the {@code dir/*} entries of the {@code --classpath} argument stand for. */
    long wildcardJars() throws IOException {
      int i = args.indexOf("--classpath");
      long n = 0;
      if (i >= 0) {
        for (String part : args.get(i + 1).split(":")) {
          if (part.endsWith("/*")) {
            try (var files = Files.list(Path.of(part).getParent())) {
              n += files.filter(f -> f.toString().endsWith(".jar")).count();
            }
          }
        }
      }
      return n;
    }

    private static String requiredProperty(String name) {
      String v = System.getProperty(name, "");
      if (v.isBlank()) {
        throw new IllegalStateException(
            name + " is not set: bench/run builds the deployed layout and passes it");
      }
      return v;
    }
  }

  /** A function JVM started by the benchmark, with the instant it was launched. */
  record Jvm(Process process, int port, long launchedNanos, Path log) implements AutoCloseable {

    /** Starts the invoker for {@code target} on the harness's test classpath with these flags. */
    static Jvm start(String target, Map<String, String> env, List<String> flags)
        throws IOException {
      return start(Launch.testClasspath(), target, env, flags);
    }

    /** Starts the invoker for {@code target} as {@code launch} says, with exactly these flags. */
    static Jvm start(Launch launch, String target, Map<String, String> env, List<String> flags)
        throws IOException {
      int port = dev.fusioncancel.testing.Ports.free();
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(flags);
      cmd.addAll(launch.args());
      cmd.add("--target");
      cmd.add(target);
      cmd.add("--port");
      cmd.add(Integer.toString(port));
      Path log = Files.createTempFile("bench-function-", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> e = pb.environment();
      Map<String, String> keep = Map.copyOf(e);
      e.clear();
      for (String k : List.of("PATH", "HOME", "JAVA_HOME", "LANG", "TMPDIR")) {
        if (keep.containsKey(k)) {
          e.put(k, keep.get(k));
        }
      }
      e.putAll(env);
      long t0 = System.nanoTime();
      Process p = pb.start();
      return new Jvm(p, port, t0, log);
    }

    String url() {
      return "http://127.0.0.1:" + port;
    }

    /**
     * Sends the request again and again (every 5 ms while the port is closed) until it is answered;
     * returns the answer. Fails if the JVM exits or nothing answers within the timeout.
     */
    HttpResponse<String> firstAnswer(HttpRequest request, Duration timeout)
        throws IOException, InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("function JVM exited: " + tail());
        }
        try {
          return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException notYet) {
          Thread.sleep(5);
        }
      }
      throw new IllegalStateException("function did not answer within " + timeout + ": " + tail());
    }

    /** Resident set size of the JVM in MiB, from /proc/PID/status. */
    double rssMib() throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          String kb = line.substring(6).trim().split("\\s+")[0];
          return Long.parseLong(kb) / 1024.0;
        }
      }
      return Double.NaN;
    }

    /** Everything the JVM printed so far (e.g. its {@code -Xlog} output). */
    List<String> output() throws IOException {
      return Files.readAllLines(log);
    }

    /** The last lines the JVM printed, for error messages. */
    String tail() {
      try {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
      } catch (IOException e) {
        return "(no log)";
      }
    }

    /**
     * Stops the JVM (SIGTERM, so exit actions such as -XX:ArchiveClassesAtExit run); keeps the log.
     */
    void stop() {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }

    /** Stops the JVM as {@link #stop} does and deletes its log. */
    @Override
    public void close() {
      stop();
      try {
        Files.deleteIfExists(log);
      } catch (IOException ignored) {
        // temp file; harmless
      }
    }
  }

  /** Runs {@code jcmd PID args...} against a function JVM, output to stderr (investigation). */
  static void jcmd(Jvm jvm, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    cmd.add(Long.toString(jvm.process().pid()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor();
    String[] lines = out.split("\n");
    System.err.println("--- jcmd " + String.join(" ", args));
    for (int i = 0; i < Math.min(lines.length, 60); i++) {
      System.err.println(lines[i]);
    }
  }

  /** A POST with a JSON body. */
  static HttpRequest postJson(String url, String json) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  /** A POST without a body. */
  static HttpRequest postEmpty(String url) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
  }

  /** A GET. */
  static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build();
  }
}
