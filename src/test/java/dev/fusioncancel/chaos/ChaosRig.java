package dev.fusioncancel.chaos;

import dev.fusioncancel.emulator.Behaviour;
import dev.fusioncancel.emulator.FusionEmulator;
import dev.fusioncancel.emulator.SeededOperation;
import dev.fusioncancel.testing.PubSubEmulator;
import dev.fusioncancel.testing.TlsFront;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What the chaos tests (and the bulk IT) share: targets, the emulators, the functions' environment,
 * seeding, waiting.
 */
public final class ChaosRig {
  static final String BULK = "dev.fusioncancel.functions.BulkCancelFunction";
  static final String HTTP = "dev.fusioncancel.functions.CancelHttpFunction";
  static final String US = "projects/demo-project/locations/us-central1";

  private ChaosRig() {}

  /**
   * The emulators of one test class: Pub/Sub with the request topic, the outcome topic and a
   * subscription watching it ({@link #watch()}), and the Data Fusion emulator. Closing closes both.
   */
  public static final class Stack implements AutoCloseable {
    private final PubSubEmulator pubsub;
    private final String requests;
    private final String outcomes;
    private FusionEmulator emulator;

    private Stack(PubSubEmulator pubsub, String requests, String outcomes) {
      this.pubsub = pubsub;
      this.requests = requests;
      this.outcomes = outcomes;
    }

    public PubSubEmulator pubsub() {
      return pubsub;
    }

    public FusionEmulator emulator() {
      return emulator;
    }

    /** The subscription on the outcome topic. */
    public String watch() {
      return outcomes + "-watch";
    }

    /**
     * Creates the topics (no request topic when {@code requests} is null) and {@link #watch()}:
     * again after a restart, since a restarted emulator is empty.
     */
    public void topics() throws Exception {
      if (requests != null) {
        pubsub.createTopic(requests);
      }
      pubsub.createTopic(outcomes);
      pubsub.createSubscription(watch(), outcomes);
    }

    @Override
    public void close() {
      if (emulator != null) {
        emulator.close();
      }
      pubsub.close();
    }
  }

  /** The Data Fusion emulator as the tests start it: any free port, no quota. */
  public static FusionEmulator.Builder fusion() {
    return FusionEmulator.builder().port(0).quotaPerMinute(0);
  }

  /** A {@link Stack} on the shared (or a new) Pub/Sub emulator and a {@link #fusion()} emulator. */
  public static Stack open(String requestsTopic, String outcomesTopic) throws Exception {
    return open(requestsTopic, outcomesTopic, PubSubEmulator.startOrConnect(), fusion());
  }

  /** A {@link Stack} on {@code pubsub} (closed with it) and an emulator built by {@code fusion}. */
  public static Stack open(
      String requestsTopic,
      String outcomesTopic,
      PubSubEmulator pubsub,
      FusionEmulator.Builder fusion)
      throws Exception {
    Stack stack = new Stack(pubsub, requestsTopic, outcomesTopic);
    try {
      stack.topics();
      stack.emulator = fusion.build();
      return stack;
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  /**
   * The Data Fusion emulator behind a TLS front (the test certificate), for the functions with real
   * ADC from a {@link dev.fusioncancel.testing.FakeMetadataServer}. Closing closes both.
   */
  static final class Tls implements AutoCloseable {
    private final FusionEmulator emulator;
    private final TlsFront front;

    private Tls(FusionEmulator emulator, TlsFront front) {
      this.emulator = emulator;
      this.front = front;
    }

    FusionEmulator emulator() {
      return emulator;
    }

    TlsFront front() {
      return front;
    }

    @Override
    public void close() {
      front.close();
      emulator.close();
    }
  }

  /** A {@link #fusion()} emulator behind a new {@link TlsFront}. */
  static Tls openTls() throws Exception {
    FusionEmulator emulator = fusion().build();
    try {
      return new Tls(emulator, new TlsFront(emulator.endpoint()));
    } catch (Exception | Error e) {
      emulator.close();
      throw e;
    }
  }

  /** The functions' environment: the emulators, a large budget, outcomes to {@code outcomes}. */
  public static Map<String, String> env(
      FusionEmulator emulator, PubSubEmulator pubsub, String outcomes) {
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

  /**
   * The same environment with a budget of 40 calls/s: the rate limiter, not the (budget-sized)
   * worker pool, then keeps a run of a few hundred operations going for seconds, long enough to hit
   * it mid-run (crash, outage) or to outlast one invocation (deadline).
   */
  static Map<String, String> limited(Map<String, String> env) {
    Map<String, String> copy = new HashMap<>(env);
    copy.put("REQUESTS_PER_MINUTE", "2400");
    return copy;
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
