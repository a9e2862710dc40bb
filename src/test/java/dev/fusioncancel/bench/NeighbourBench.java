package dev.fusioncancel.bench;

import static dev.fusioncancel.bench.BenchSupport.HTTP;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Section {@code neighbour}: something else spends 30% of the same quota at a steady rate (its last
 * minute already in the window when the run starts), and {@code BulkCancelFunction}, with its
 * budget set to the whole quota, must find the room left: at least 95% of it, with at most 1% of
 * its requests answered 429. The service's window is 60 s whatever the quota, so this run lasts
 * about two and a half minutes; the quota is 1200/min so that takes 2400 operations.
 */
final class NeighbourBench {
  static final String P = "projects/bench-project/locations/us-central1";
  static final int QUOTA_PER_MINUTE = 1200;
  static final double NEIGHBOUR_SHARE = 0.3;
  static final String NEIGHBOUR_OP = P + "/operations/neighbour";

  private NeighbourBench() {}

  /** A steady client of the same quota: one GET every {@code 60 s / rate}, whatever it is told. */
  static final class Neighbour implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    Neighbour(String endpoint, String operation, double perMinute) {
      long periodNanos = (long) (60e9 / perMinute);
      java.net.http.HttpRequest get = BenchSupport.get(endpoint + "/v1/" + operation);
      timer.scheduleAtFixedRate(
          () -> HTTP.sendAsync(get, HttpResponse.BodyHandlers.discarding()),
          0,
          periodNanos,
          TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }

  static void run(FusionCancelBench.Settings settings, BenchSupport.Summary summary)
      throws Exception {
    int ops = settings.quick() ? 1200 : 2400;
    double neighbourPerMinute = QUOTA_PER_MINUTE * NEIGHBOUR_SHARE;
    try (PubSubEmulator pubsub = PubSubEmulator.startOrConnect();
        FusionEmulator emulator =
            FusionEmulator.builder().port(0).quotaPerMinute(QUOTA_PER_MINUTE).build()) {
      emulator.faults().latency(Latency.flat(Duration.ofMillis(50)));
      pubsub.createTopic("nb-outcomes");
      pubsub.createSubscription("nb-outcomes-sub", "nb-outcomes");
      pubsub.createTopic("nb-requests");
      pubsub.createSubscription("nb-requests-sub", "nb-requests");
      emulator.seedMany(P, ops, Behaviour.cancellable());
      emulator.seed(NEIGHBOUR_OP, Behaviour.alreadyDone());
      Map<String, String> env =
          Map.of(
              "DATAFUSION_ENDPOINT", emulator.endpoint(),
              "OUTCOME_TOPIC", PubSubEmulator.topicName("nb-outcomes"),
              "PUBSUB_EMULATOR_HOST", pubsub.hostPort(),
              "REQUESTS_PER_MINUTE", Integer.toString(QUOTA_PER_MINUTE),
              "MAX_WAIT", "60s",
              "GOOGLE_CLOUD_PROJECT", PubSubEmulator.PROJECT);
      try (BenchSupport.Jvm function =
              BenchSupport.Jvm.start(
                  BulkThroughputBench.TARGET, env, BulkThroughputBench.extraFlags());
          EventarcBridge followUps =
              new EventarcBridge(
                  pubsub,
                  "nb-requests",
                  "nb-requests-sub",
                  function.url(),
                  EventarcBridge.Mode.BINARY)) {
        dev.fusioncancel.testing.Ports.awaitOpen(
            function.port(), Duration.ofSeconds(60), function.process());
        // The neighbour has been running for a minute already: its share of the window is full.
        emulator.spendQuota(P, (int) neighbourPerMinute, Duration.ofSeconds(60));
        progress(
            "neighbour: %d operations, quota %d/min, neighbour %.0f/min",
            ops, QUOTA_PER_MINUTE, neighbourPerMinute);
        try (Neighbour n = new Neighbour(emulator.endpoint(), NEIGHBOUR_OP, neighbourPerMinute)) {
          String request = "{\"parents\":[\"" + P + "\"],\"limit\":5000,\"wait\":\"30s\"}";
          HttpResponse<String> answer =
              HTTP.send(
                  EventarcBridge.cloudEvent(
                      function.url(),
                      EventarcBridge.Mode.BINARY,
                      PubSubEmulator.topicName("nb-requests"),
                      "nb-requests-sub",
                      "nb-run-1",
                      request,
                      Map.of(),
                      Instant.now()),
                  HttpResponse.BodyHandlers.ofString());
          progress("neighbour: function answered %d", answer.statusCode());
        }
        Map<String, Integer> counts = new TreeMap<>();
        int outcomes = 0;
        long quiet = System.nanoTime();
        while (System.nanoTime() - quiet < Duration.ofSeconds(5).toNanos()) {
          List<PubSubEmulator.Received> batch = pubsub.pull("nb-outcomes-sub", 1000);
          pubsub.ack(
              "nb-outcomes-sub", batch.stream().map(PubSubEmulator.Received::ackId).toList());
          for (PubSubEmulator.Received m : batch) {
            if (!"summary".equals(m.attributes().get("type"))) {
              outcomes++;
              counts.merge(m.attributes().getOrDefault("outcome", "?"), 1, Integer::sum);
            }
          }
          if (!batch.isEmpty()) {
            quiet = System.nanoTime();
          } else {
            Thread.sleep(50);
          }
        }
        report(emulator.journal().entries(), outcomes, counts, summary);
      }
    }
  }

  private static void report(
      List<Journal.Entry> journal,
      int outcomes,
      Map<String, Integer> counts,
      BenchSupport.Summary summary)
      throws Exception {
    List<Journal.Entry> ours = new ArrayList<>();
    List<Journal.Entry> theirs = new ArrayList<>();
    journal = new ArrayList<>(journal);
    journal.sort(java.util.Comparator.comparing(Journal.Entry::time));
    for (Journal.Entry e : journal) {
      (e.path().endsWith("/operations/neighbour") ? theirs : ours).add(e);
    }
    Instant first = ours.get(0).time();
    Instant last = ours.get(ours.size() - 1).time();
    // Steady state: from one window after the start (the window then holds only this run's
    // traffic and the neighbour's) to the last call.
    Instant from = first.plusSeconds(60);
    double span = Duration.between(from, last).toNanos() / 1e9;
    long oursOk = ours.stream().filter(e -> in(e, from, last) && e.status() != 429).count();
    long theirsOk = theirs.stream().filter(e -> in(e, from, last) && e.status() != 429).count();
    double left = QUOTA_PER_MINUTE / 60.0 * span - theirsOk;
    double efficiency = oursOk / left;
    long ours429 = ours.stream().filter(e -> e.status() == 429).count();
    long theirs429 = theirs.stream().filter(e -> e.status() == 429).count();
    double share = (double) ours429 / ours.size();
    BenchSupport.Table t =
        new BenchSupport.Table(
            "Neighbour: BulkCancelFunction with REQUESTS_PER_MINUTE = quota ("
                + QUOTA_PER_MINUTE
                + "/min, one location, 50 ms flat) while a neighbour spends 30% of it",
            "our calls",
            "our 429",
            "our 429 share",
            "neighbour calls",
            "neighbour 429",
            "steady-state span (s)",
            "our rate (/s)",
            "room left (/s)",
            "neighbour efficiency",
            "outcomes",
            "outcome counts");
    t.row(
        ours.size(),
        ours429,
        BulkThroughputBench.pct(share),
        theirs.size(),
        theirs429,
        span,
        oursOk / span,
        left / span,
        efficiency,
        outcomes,
        counts.toString());
    t.note(
        "Targets: >= 0.95 of the room the neighbour leaves, 429s <= 1% of our requests. Steady"
            + " state = from 60 s after our first call to our last call; room left = quota rate x"
            + " span - the neighbour's admitted calls in it. The neighbour's previous minute is"
            + " in the window when the run starts.");
    t.print();
    Map<String, List<Instant>> series = new LinkedHashMap<>();
    series.put("fusion-cancel", ours.stream().map(Journal.Entry::time).toList());
    series.put("neighbour", theirs.stream().map(Journal.Entry::time).toList());
    Charts.rate(
        "neighbour-rate.png",
        "BulkCancelFunction next to a neighbour spending 30% of the quota (one location)",
        series,
        QUOTA_PER_MINUTE / 60.0,
        false);
    summary.put("neighbour_efficiency", efficiency);
    summary.put("neighbour_429_share", share);
    summary.put("neighbour_errors", counts.getOrDefault("ERROR", 0));
  }

  private static boolean in(Journal.Entry e, Instant from, Instant to) {
    return !e.time().isBefore(from) && !e.time().isAfter(to);
  }
}
