package dev.fusioncancel.emulator;

import dev.fusioncancel.rpc.Code;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the Data Fusion emulator standalone, seeded with one sample operation of each behaviour:
 * {@code Main --port 8090 [--quota 600] [--latency-ms 0 | --latency-p50-ms 150 --latency-p99-ms
 * 1500] [--seed 1]}. Runs until killed.
 */
public final class Main {
  /** The project and locations the sample operations live in. */
  static final String US = "projects/demo-project/locations/us-central1";

  static final String EU = "projects/demo-project/locations/europe-west1";

  /**
   * Without a latency flag the emulator answers as control-plane APIs do: heavy-tailed, lognormal
   * with these percentiles ({@code --latency-ms 0} turns latency off).
   */
  static final long DEFAULT_P50_MS = 150;

  static final long DEFAULT_P99_MS = 1500;

  private Main() {}

  /** Starts the emulator, prints its endpoint and seeded operations, and waits forever. */
  public static void main(String[] args) throws InterruptedException {
    int port = 8090;
    int quota = FusionEmulator.DEFAULT_QUOTA_PER_MINUTE;
    long latencyMs = 0;
    long p50Ms = 0;
    long p99Ms = 0;
    long seed = 1;
    boolean latencyGiven = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      latencyGiven |= arg.startsWith("--latency-");
      switch (arg) {
        case "--port" -> port = Integer.parseInt(value(args, ++i, arg));
        case "--quota" -> quota = Integer.parseInt(value(args, ++i, arg));
        case "--latency-ms" -> latencyMs = Long.parseLong(value(args, ++i, arg));
        case "--latency-p50-ms" -> p50Ms = Long.parseLong(value(args, ++i, arg));
        case "--latency-p99-ms" -> p99Ms = Long.parseLong(value(args, ++i, arg));
        case "--seed" -> seed = Long.parseLong(value(args, ++i, arg));
        case "-h", "--help" -> {
          usage(System.out);
          return;
        }
        default -> {
          System.err.println("unknown argument: " + arg);
          usage(System.err);
          System.exit(2);
        }
      }
    }
    if (!latencyGiven) {
      p50Ms = DEFAULT_P50_MS;
      p99Ms = DEFAULT_P99_MS;
    }
    FusionEmulator emulator = FusionEmulator.builder().port(port).quotaPerMinute(quota).build();
    Latency latency = latency(latencyMs, p50Ms, p99Ms, seed);
    emulator.faults().latency(latency);
    List<SeededOperation> seeded = seedDemo(emulator);
    Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "fusion-emulator-stop"));

    System.out.println("Data Fusion emulator listening on " + emulator.endpoint());
    System.out.println(
        "  quota "
            + (quota == 0 ? "off" : quota + " requests/minute/location")
            + ", latency "
            + latency.describe());
    System.out.println(
        "  admin: POST /emulator/reset | POST /emulator/seed | POST /emulator/faults"
            + " | GET /emulator/journal | GET /emulator/counters | GET /emulator/operations");
    System.out.println("Seeded operations:");
    for (SeededOperation op : seeded) {
      System.out.printf("  %-80s %s%n", op.name(), op.behaviour().describe());
    }
    System.out.println(
        "Try: curl -s -X POST " + emulator.endpoint() + "/v1/" + seeded.get(1).name() + ":cancel");
    System.out.flush();
    new CountDownLatch(1).await();
  }

  /** Seeds one sample operation of each behaviour (the standalone and local-run demo set). */
  public static List<SeededOperation> seedDemo(FusionEmulator emulator) {
    Instant now = emulator.clock().instant();
    Instant hourAgo = now.minus(Duration.ofHours(1));
    return List.of(
        emulator.seed(
            Seed.of(
                US + "/operations/op-finishes-after",
                Behaviour.finishesAfter(Duration.ofMinutes(10)))),
        emulator.seed(
            Seed.of(US + "/operations/op-cancellable", Behaviour.cancellable(Duration.ofSeconds(5)))
                .createTime(hourAgo)),
        emulator.seed(
            Seed.of(
                    US + "/operations/op-completes-despite-cancel",
                    Behaviour.completesDespiteCancel(Duration.ofSeconds(5)))
                .verb("restart")),
        emulator.seed(US + "/operations/op-cancel-unimplemented", Behaviour.cancelUnimplemented()),
        emulator.seed(
            US + "/operations/op-cancel-failed-precondition", Behaviour.cancelFailedPrecondition()),
        emulator.seed(
            Seed.of(US + "/operations/op-already-done", Behaviour.alreadyDone()).verb("create")),
        emulator.seed(
            US + "/operations/op-already-failed",
            Behaviour.alreadyFailed(Code.INTERNAL, "Instance update failed.")),
        emulator.seed(US + "/operations/op-never-finishes", Behaviour.neverFinishes()),
        emulator.seed(US + "/operations/op-permission-denied", Behaviour.permissionDenied()),
        emulator.seed(
            Seed.of(EU + "/operations/op-eu-cancellable", Behaviour.cancellable())
                .target(EU + "/instances/inst-eu")
                .createTime(now.minus(Duration.ofHours(7)))),
        emulator.seed(
            Seed.of(EU + "/operations/op-eu-restart", Behaviour.finishesAfter(Duration.ofHours(1)))
                .verb("restart")
                .target(EU + "/instances/inst-eu")),
        emulator.seed(
            Seed.of(EU + "/operations/op-eu-done", Behaviour.alreadyDone())
                .target(EU + "/instances/inst-eu")));
  }

  /** Flat when only {@code --latency-ms} is given; lognormal when p50 (and p99) are. */
  static Latency latency(long flatMs, long p50Ms, long p99Ms, long seed) {
    if (p50Ms <= 0 && p99Ms <= 0) {
      return Latency.flat(Duration.ofMillis(flatMs));
    }
    if (flatMs > 0) {
      throw new IllegalArgumentException(
          "--latency-ms and --latency-p50-ms/--latency-p99-ms exclude each other");
    }
    long p50 = p50Ms > 0 ? p50Ms : p99Ms / 10;
    long p99 = p99Ms > 0 ? p99Ms : p50Ms * 10;
    return Latency.lognormal(Duration.ofMillis(p50), Duration.ofMillis(p99), seed);
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  private static void usage(PrintStream out) {
    out.println(
        "usage: java dev.fusioncancel.emulator.Main [--port 8090] [--quota 600]"
            + " [--latency-ms N | --latency-p50-ms 150 --latency-p99-ms 1500] [--seed 1]"
            + " (default latency: lognormal, p50 150 ms, p99 1500 ms; --latency-ms 0 for none)");
  }
}
