package dev.fusioncancel.chaos;

import dev.fusioncancel.emulator.Behaviour;
import dev.fusioncancel.emulator.FusionEmulator;
import dev.fusioncancel.emulator.SeededOperation;
import dev.fusioncancel.testing.PubSubEmulator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** What the chaos tests share: targets, the functions' environment, seeding, waiting. */
final class ChaosRig {
  static final String BULK = "dev.fusioncancel.functions.BulkCancelFunction";
  static final String HTTP = "dev.fusioncancel.functions.CancelHttpFunction";
  static final String US = "projects/demo-project/locations/us-central1";

  private ChaosRig() {}

  /** The functions' environment: the emulators, a large budget, outcomes to {@code outcomes}. */
  static Map<String, String> env(FusionEmulator emulator, PubSubEmulator pubsub, String outcomes) {
    Map<String, String> env = new HashMap<>();
    env.put("DATAFUSION_ENDPOINT", emulator.endpoint());
    env.put("REQUESTS_PER_MINUTE", "100000");
    env.put("MAX_WAIT", "60s");
    if (pubsub != null) {
      env.put("PUBSUB_EMULATOR_HOST", pubsub.hostPort());
      env.put("OUTCOME_TOPIC", PubSubEmulator.topicName(outcomes));
    }
    return env;
  }

  /** Seeds {@code n} cancellable operations in {@link #US}; returns their names. */
  static List<String> seed(FusionEmulator emulator, int n) {
    return emulator.seedMany(US, n, Behaviour.cancellable()).stream()
        .map(SeededOperation::name)
        .toList();
  }

  /** A bulk request naming the operations one by one. */
  static String request(List<String> operations, String wait) {
    com.google.gson.JsonObject o = new com.google.gson.JsonObject();
    com.google.gson.JsonArray a = new com.google.gson.JsonArray();
    operations.forEach(a::add);
    o.add("operations", a);
    o.addProperty("wait", wait);
    return o.toString();
  }

  /** Cancels the emulator received so far. */
  static long cancels(FusionEmulator emulator) {
    return emulator.journal().count("POST", p -> p.endsWith(":cancel"));
  }

  /** Waits until {@code value} reaches {@code atLeast}, or fails. */
  static void await(LongSupplier value, long atLeast, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (value.getAsLong() < atLeast) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            what + ": " + value.getAsLong() + " < " + atLeast + " after " + timeout);
      }
      Thread.sleep(10);
    }
  }

  /** The largest number of cancels any one of the operations received. */
  static long maxCancelsPerOperation(FusionEmulator emulator, List<String> operations) {
    return operations.stream().mapToLong(n -> emulator.journal().cancelCount(n)).max().orElse(0);
  }
}
