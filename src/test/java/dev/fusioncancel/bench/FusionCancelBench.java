package dev.fusioncancel.bench;

import static dev.fusioncancel.bench.BenchSupport.progress;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark harness behind {@code bench/run}: runs the four sections, prints a Markdown table
 * for each to stdout and, as the very last line, the machine-readable summary. Not a test: it runs
 * only when called, never in {@code mvn verify}.
 *
 * <p>Usage: {@code FusionCancelBench [--quick] [--runs N] [bulk] [neighbour] [peers] [cold]
 * [overhead]}.
 */
public final class FusionCancelBench {
  private FusionCancelBench() {}

  /** What the run was asked to do. */
  record Settings(int runs, boolean quick, List<String> sections, Path repo, Path sdkRoot) {}

  /** One benchmark section. */
  private interface Section {
    void run(Settings settings, BenchSupport.Summary summary) throws Exception;
  }

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    int runs = 3;
    boolean quick = false;
    List<String> sections = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        default -> sections.add(args[i]);
      }
    }
    if (sections.isEmpty()) {
      sections = List.of("bulk", "neighbour", "peers", "cold", "overhead");
    }
    String sdk = System.getProperty("bench.sdkRoot", "");
    Settings settings =
        new Settings(
            runs,
            quick,
            sections,
            Path.of(System.getProperty("bench.repo", ".")).toAbsolutePath(),
            sdk.isBlank() ? null : Path.of(sdk));
    BenchSupport.Summary summary = new BenchSupport.Summary();
    // Defaults so the summary always has every key, even when a section fails.
    for (String key :
        List.of(
            "ops_per_s",
            "quota_efficiency",
            "throttled_429_share",
            "neighbour_efficiency",
            "error_outcomes",
            "calls_per_op",
            "vs_curl_loop",
            "vs_apitools_loop",
            "cold_start_ratio",
            "rss_mib",
            "overhead_p99_ms",
            "throttled_429",
            "throttled_429_after_1s",
            "naive_429",
            "cold_start_bulk_ms")) {
      summary.put(key, "NA");
    }
    long start = System.nanoTime();
    List<String> failed = new ArrayList<>();
    for (String name : sections) {
      Section section =
          switch (name) {
            case "bulk" -> BulkThroughputBench::run;
            case "neighbour" -> NeighbourBench::run;
            case "peers" -> PeersBench::run;
            case "cold" -> ColdStartBench::run;
            case "overhead" -> OverheadBench::run;
            default -> throw new IllegalArgumentException("unknown section " + name);
          };
      long t0 = System.nanoTime();
      try {
        section.run(settings, summary);
      } catch (Exception | Error e) {
        failed.add(name);
        progress("section %s FAILED: %s", name, e);
        e.printStackTrace();
        System.out.println("\n### " + name + ": FAILED (" + e + ")");
      }
      progress("section %s took %.0f s", name, (System.nanoTime() - t0) / 1e9);
    }
    summary.put("vs_curl_loop", ratio(summary, "ops_per_s", "curl_ops_per_s"));
    summary.put("vs_apitools_loop", ratio(summary, "ops_per_s", "apitools_ops_per_s"));
    summary.put("runs", Integer.toString(runs));
    summary.put("failed", failed.isEmpty() ? "none" : String.join(",", failed));
    summary.put("bench_s", (System.nanoTime() - start) / 1e9);
    System.out.println();
    System.out.println(summary.line());
    System.out.flush();
    System.exit(0);
  }

  private static String ratio(BenchSupport.Summary summary, String a, String b) {
    double x = summary.number(a);
    double y = summary.number(b);
    return BenchSupport.num(x / y);
  }
}
