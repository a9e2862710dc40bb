package dev.fusioncancel.sim;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.budget.Budgets;
import dev.fusioncancel.bulk.BulkRunner;
import dev.fusioncancel.bulk.BulkService;
import dev.fusioncancel.bulk.BulkSettings;
import dev.fusioncancel.client.RetrySettings;
import dev.fusioncancel.client.RetryingOperationsApi;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.events.PublishException;
import dev.fusioncancel.log.CloudLog;
import dev.fusioncancel.rpc.Code;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A deterministic simulation of the bulk function (VOPR style): per seed, a world of operations
 * with seeded behaviour, faults, latencies, quota, publish failures, crashes and short deadlines;
 * the real BulkService, BulkRunner, CancelEngine, retry and budget layer run on {@link
 * SimScheduler}'s virtual time; then every invariant is checked. A failing seed prints the one
 * command that replays it.
 *
 * <p>{@code -Dsim.seeds=N} (default 10000) seeds from {@code -Dsim.from=S} (default 0); {@code
 * -Dsim.seed=S} replays one seed.
 */
class EngineSimulationTest {
  static final Instant EPOCH = Instant.parse("2026-11-26T12:00:00Z");
  static final String PROJECT = "projects/sim-project";
  static final String TRIGGER = "projects/sim-project/topics/requests";
  static final String OUTCOMES = "projects/sim-project/topics/outcomes";
  static final Set<String> TRANSIENT =
      Set.of("UNAVAILABLE", "INTERNAL", "RESOURCE_EXHAUSTED", "DEADLINE_EXCEEDED", "timeout");

  @Test
  void everySeed_keepsEveryInvariant() {
    PrintStream quiet = CloudLog.redirect(new PrintStream(OutputStream.nullOutputStream()));
    try {
      String one = System.getProperty("sim.seed");
      if (one != null && !one.isBlank()) {
        check(Long.parseLong(one.trim()));
        return;
      }
      long from = Long.getLong("sim.from", 0L);
      long n = Long.getLong("sim.seeds", 10_000L);
      long started = System.nanoTime();
      for (long seed = from; seed < from + n; seed++) {
        check(seed);
      }
      System.out.printf(
          "EngineSimulationTest: %d seeds in %.1f s%n", n, (System.nanoTime() - started) / 1e9);
    } finally {
      CloudLog.redirect(quiet);
    }
  }

  private static void check(long seed) {
    World world = null;
    try {
      world = new World(seed);
      world.runAndCheck();
    } catch (Throwable e) {
      AssertionError failure =
          new AssertionError(
              "seed "
                  + seed
                  + " failed: "
                  + e.getMessage()
                  + (Boolean.getBoolean("sim.verbose") && world != null
                      ? "\n" + world.describe()
                      : "")
                  + "\nreplay: mvn -Dtest=EngineSimulationTest -Dsim.seed="
                  + seed
                  + " test",
              e);
      fail(failure);
    }
  }

  /** One seed's world. */
  static final class World {
    final long seed;
    final Random random;
    final SimScheduler sim;
    final SimUpstream upstream;
    final SimTopic topic;
    final Config config;
    final BulkSettings settings;
    final int rpm;
    final List<String> locations = new ArrayList<>();
    final List<String> explicit = new ArrayList<>();
    final List<String> parents = new ArrayList<>();
    final Optional<Duration> olderThan;
    final Duration wait;
    final String requestJson;

    /** Per delivery: its hard stop and the first request log index it owns. */
    final List<long[]> deliveries = new ArrayList<>();

    /** The deliveries that completed (acknowledged): all their publishes were confirmed. */
    final Set<Integer> acked = new java.util.HashSet<>();

    World(long seed) {
      this.seed = seed;
      this.random = new Random(seed);
      this.sim = new SimScheduler(new Random(seed * 7919 + 17), EPOCH);
      boolean faulty = random.nextInt(4) != 0;
      double crashRate = random.nextInt(3) == 0 ? 0.002 + random.nextDouble() * 0.01 : 0;
      this.upstream =
          new SimUpstream(
              sim,
              new Random(seed * 31 + 3),
              EPOCH,
              600,
              faulty ? random.nextDouble() * 0.25 : 0,
              faulty ? random.nextDouble() * 0.04 : 0,
              crashRate);
      this.topic =
          new SimTopic(
              sim, new Random(seed * 131 + 5), random.nextInt(4) == 0 ? 0.05 : 0, crashRate * 2);
      this.rpm = new int[] {60, 120, 300, 540}[random.nextInt(4)];
      this.config =
          Config.from(
              Map.of("REQUESTS_PER_MINUTE", Integer.toString(rpm), "OUTCOME_TOPIC", OUTCOMES));
      this.settings =
          BulkSettings.forDeadline(Duration.ofSeconds(15 + random.nextInt(31)))
              .withPageSize(5 + random.nextInt(6))
              .withWorkers(1 + random.nextInt(8));
      int nLocations = 1 + random.nextInt(3);
      String[] verbs = {"update", "restart", "upgrade"};
      SimUpstream.Mode[] modes = SimUpstream.Mode.values();
      Code[] refusals = {
        Code.UNIMPLEMENTED, Code.FAILED_PRECONDITION, Code.ABORTED, Code.ALREADY_EXISTS
      };
      for (int l = 0; l < nLocations; l++) {
        String location = PROJECT + "/locations/l" + l;
        locations.add(location);
        int nOps = random.nextInt(13);
        for (int i = 0; i < nOps; i++) {
          double m = random.nextDouble();
          SimUpstream.Mode mode = m < 0.6 ? modes[0] : m < 0.75 ? modes[1] : modes[2];
          double f = random.nextDouble();
          long finishesAt =
              f < 0.1 ? 0 : f < 0.4 ? (long) (random.nextDouble() * 120e9) : Long.MAX_VALUE;
          upstream.add(
              new SimUpstream.Op(
                  location + "/operations/op-" + i,
                  EPOCH.minus(Duration.ofMinutes(1 + random.nextInt(48 * 60))),
                  verbs[random.nextInt(3)],
                  mode,
                  refusals[random.nextInt(refusals.length)],
                  finishesAt,
                  random.nextBoolean(),
                  (long) (random.nextDouble() * 20e9)));
        }
      }
      List<String> all = new ArrayList<>(upstream.ops().keySet());
      for (String name : all) {
        if (random.nextInt(3) == 0) {
          explicit.add(name);
        }
      }
      if (random.nextInt(3) == 0) {
        explicit.add(locations.get(0) + "/operations/missing-" + random.nextInt(5));
      }
      if (random.nextInt(6) == 0) {
        explicit.add(locations.get(0) + "/operations/bad:name");
      }
      for (String l : locations) {
        if (random.nextInt(2) == 0) {
          parents.add(l);
        }
      }
      if (explicit.isEmpty() && parents.isEmpty()) {
        parents.add(locations.get(0));
      }
      olderThan =
          random.nextInt(3) == 0
              ? Optional.of(Duration.ofHours(1 + random.nextInt(24)))
              : Optional.empty();
      wait = Duration.ofSeconds(random.nextInt(11));
      JsonObject r = new JsonObject();
      if (!explicit.isEmpty()) {
        JsonArray a = new JsonArray();
        explicit.forEach(a::add);
        r.add("operations", a);
      }
      if (!parents.isEmpty()) {
        JsonArray a = new JsonArray();
        parents.forEach(a::add);
        r.add("parents", a);
      }
      olderThan.ifPresent(d -> r.addProperty("olderThan", d.toHours() + "h"));
      r.addProperty("wait", wait.toSeconds() + "s");
      requestJson = r.toString();
    }

    /** A message waiting to be delivered: id, data and publish time. */
    record Pending(String id, String data, Instant publishTime) {}

    void runAndCheck() throws Exception {
      Deque<Pending> queue = new ArrayDeque<>();
      queue.add(new Pending("m0", requestJson, sim.instant()));
      BulkService service = null;
      int followUpsSeen = 0;
      int attempts = 0;
      while (!queue.isEmpty()) {
        if (++attempts > 400) {
          throw new AssertionError(
              "the request never finished: " + queue.size() + " messages left");
        }
        // Faults stop after a while, as an outage ends: the run must then finish.
        topic.healthy = attempts > 40;
        if (service == null) {
          service = newInstance();
        }
        Pending m = queue.peekFirst();
        long start = sim.nanoTime();
        deliveries.add(
            new long[] {
              start + settings.deadline().minus(settings.safetyMargin()).toNanos(),
              upstream.log().size(),
              topic.messages().size()
            });
        topic.delivery = deliveries.size() - 1;
        BulkService s = service;
        Throwable failed =
            sim.run(
                () -> {
                  try {
                    s.handle(
                        m.data().getBytes(StandardCharsets.UTF_8),
                        m.id(),
                        Optional.of(m.publishTime()),
                        Optional.of(TRIGGER));
                  } catch (PublishException | InterruptedException e) {
                    throw new RuntimeException(e);
                  }
                });
        long took = sim.nanoTime() - start;
        if (took > settings.deadline().toNanos()) {
          throw new AssertionError(
              "delivery " + (deliveries.size() - 1) + " overran the function's deadline: " + took);
        }
        if (failed instanceof SimScheduler.Crash) {
          service = null; // the instance is gone; Pub/Sub redelivers after the ack deadline
          sim.advance(Duration.ofSeconds(61 + random.nextInt(60)));
        } else if (failed != null) {
          if (!(failed.getCause() instanceof PublishException)) {
            throw new AssertionError("delivery failed: " + failed, failed);
          }
          sim.advance(Duration.ofSeconds(10));
        } else {
          queue.pollFirst();
          acked.add(deliveries.size() - 1);
          sim.advance(Duration.ofSeconds(1));
        }
        List<SimTopic.Message> msgs = topic.messages();
        for (int i = followUpsSeen; i < msgs.size(); i++) {
          SimTopic.Message f = msgs.get(i);
          if (f.topic().equals(TRIGGER)) {
            queue.addLast(new Pending("f" + i, f.data(), EPOCH.plusNanos(f.at())));
          }
        }
        followUpsSeen = msgs.size();
      }
      checkInvariants();
    }

    private BulkService newInstance() {
      RetryingOperationsApi api =
          new RetryingOperationsApi(
              upstream,
              RetrySettings.DEFAULT,
              new Budgets(rpm, sim, sim),
              sim,
              sim,
              new Random(seed ^ deliveries.size())::nextDouble);
      BulkRunner runner = new BulkRunner(config, api, sim, sim, sim, sim, settings);
      return new BulkService(
          runner, topic.forTopic(OUTCOMES), topic, sim, sim, settings.deadline());
    }

    private void checkInvariants() {
      List<SimTopic.Message> msgs = topic.messages();
      Map<String, JsonObject> firstByEventId = new LinkedHashMap<>();
      Map<String, String> eventIdByOp = new HashMap<>();
      Map<String, Long> firstPublishedAt = new HashMap<>();
      Map<Integer, Integer> eventsPerDelivery = new HashMap<>();
      Set<String> gaveUp = new java.util.HashSet<>();
      for (SimTopic.Message m : msgs) {
        if (!m.topic().equals(OUTCOMES)) {
          continue;
        }
        JsonObject json = JsonParser.parseString(m.data()).getAsJsonObject();
        if ("summary".equals(m.attributes().get("type"))) {
          if (json.has("parentErrors")) {
            gaveUp.addAll(json.getAsJsonObject("parentErrors").keySet());
          }
          int sum =
              json.getAsJsonObject("counts").entrySet().stream()
                  .mapToInt(e -> e.getValue().getAsInt())
                  .sum();
          require(sum == json.get("total").getAsInt(), "a summary's counts add up to its total");
          int published = eventsPerDelivery.getOrDefault(m.delivery(), 0);
          require(
              !acked.contains(m.delivery()) || published == sum,
              "the summary of delivery "
                  + m.delivery()
                  + " counts its "
                  + published
                  + " events: "
                  + json);
          continue;
        }
        eventsPerDelivery.merge(m.delivery(), 1, Integer::sum);
        String eventId = json.get("eventId").getAsString();
        String op = json.get("operation").getAsString();
        String known = eventIdByOp.putIfAbsent(op, eventId);
        require(known == null || known.equals(eventId), op + " has two eventIds");
        if (firstByEventId.putIfAbsent(eventId, json) == null) {
          firstPublishedAt.put(op, m.at());
        }
        // Nothing is cancelled, in the delivery that published it, after its outcome.
        long[] d = deliveries.get(m.delivery());
        int end =
            m.delivery() + 1 < deliveries.size()
                ? (int) deliveries.get(m.delivery() + 1)[1]
                : upstream.log().size();
        for (SimUpstream.Request r : upstream.log().subList((int) d[1], end)) {
          require(
              !(r.method().equals("cancel") && r.target().equals(op) && r.at() > m.at()),
              op + " was cancelled after its outcome was published");
        }
      }
      // Exactly one outcome per operation that must have one.
      for (String name : explicit) {
        require(eventIdByOp.containsKey(name), "explicit " + name + " has an outcome");
      }
      for (SimUpstream.Op op : upstream.ops().values()) {
        if (op.cancelAcceptedAt != Long.MAX_VALUE) {
          require(
              eventIdByOp.containsKey(op.name),
              op.name + " was cancelled by us and has an outcome");
        }
        String parent = op.name.substring(0, op.name.indexOf("/operations/"));
        boolean eligible =
            parents.contains(parent)
                && !op.created.isAfter(EPOCH)
                && olderThan.map(o -> op.created.isBefore(EPOCH.minus(o))).orElse(true);
        if (eligible
            && !gaveUp.contains(parent)
            && op.runningAt(sim.nanoTime())
            && op.cancelAcceptedAt == Long.MAX_VALUE) {
          require(
              eventIdByOp.containsKey(op.name),
              "still running and selectable, " + op.name + " has an outcome");
        }
        if (eventIdByOp.containsKey(op.name) && op.name.contains("/operations/new-")) {
          throw new AssertionError(op.name + " was created after the request, yet selected");
        }
      }
      // Each first outcome agrees with the simulated truth.
      for (JsonObject e : firstByEventId.values()) {
        String name = e.get("operation").getAsString();
        String outcome = e.get("outcome").getAsString();
        SimUpstream.Op op = upstream.op(name);
        long checkedAt =
            e.has("checkedAt")
                ? Duration.between(EPOCH, Instant.parse(e.get("checkedAt").getAsString())).toNanos()
                : -1;
        switch (outcome) {
          case "CANCELLED", "COMPLETED", "FAILED" -> {
            require(op != null, name + " exists");
            op.at(sim.nanoTime());
            int want = outcome.equals("CANCELLED") ? 1 : outcome.equals("COMPLETED") ? 0 : 13;
            require(op.endCode == want, name + " is truly " + outcome + ", truth " + op.endCode);
          }
          case "CANCELLING" -> {
            require(op != null && op.runningAt(checkedAt), name + " was running when checked");
            require(op.cancelAcceptedAt <= checkedAt, name + " had its cancel accepted");
          }
          case "NOT_CANCELLABLE" -> {
            require(op != null && op.runningAt(checkedAt), name + " was running when checked");
            require(op.mode == SimUpstream.Mode.REFUSES, name + " truly refuses cancels");
          }
          case "NOT_FOUND" -> require(op == null, name + " truly does not exist");
          case "INVALID_NAME" -> require(name.contains(":"), name + " is truly invalid");
          case "ERROR" -> {
            if (e.get("detail").getAsString().contains("already ran in 50 parts; giving up")) {
              continue; // the documented part limit: reported, never silent (see README)
            }
            long at = firstPublishedAt.get(name);
            require(
                lastAnswerFailed(name, "cancel", at) || lastAnswerFailed(name, "get", at),
                name + " is ERROR only after retries were exhausted: " + e);
            require(
                !e.get("detail").getAsString().contains("giving up"),
                "never ERROR for want of time");
          }
          default -> throw new AssertionError("unexpected outcome " + outcome + " for " + name);
        }
      }
      // The budget: no 60-second window holds more requests for a location than its budget.
      Map<String, List<Long>> byLocation = new HashMap<>();
      for (SimUpstream.Request r : upstream.log()) {
        byLocation.computeIfAbsent(r.location(), l -> new ArrayList<>()).add(r.at());
      }
      for (Map.Entry<String, List<Long>> l : byLocation.entrySet()) {
        List<Long> at = l.getValue();
        int from = 0;
        for (int i = 0; i < at.size(); i++) {
          while (at.get(i) - at.get(from) >= 60_000_000_000L) {
            from++;
          }
          require(
              i - from + 1 <= rpm,
              l.getKey() + ": " + (i - from + 1) + " requests in 60 s > " + rpm);
        }
      }
      // No request starts at or after its delivery's hard stop.
      for (int d = 0; d < deliveries.size(); d++) {
        int end =
            d + 1 < deliveries.size() ? (int) deliveries.get(d + 1)[1] : upstream.log().size();
        for (SimUpstream.Request r : upstream.log().subList((int) deliveries.get(d)[1], end)) {
          require(r.at() < deliveries.get(d)[0], "a request started after the hard stop: " + r);
        }
      }
    }

    /** The world and what happened in it, for a failing seed ({@code -Dsim.verbose=true}). */
    String describe() {
      StringBuilder b = new StringBuilder();
      b.append("request ")
          .append(requestJson)
          .append("\nrpm ")
          .append(rpm)
          .append(" settings ")
          .append(settings)
          .append('\n');
      for (SimUpstream.Op op : upstream.ops().values()) {
        op.at(sim.nanoTime());
        b.append("op ")
            .append(op.name)
            .append(' ')
            .append(op.mode)
            .append(" created ")
            .append(op.created)
            .append(" end ")
            .append(op.endCode)
            .append('@')
            .append(op.endedAt)
            .append(" cancelAt ")
            .append(op.cancelAcceptedAt)
            .append('\n');
      }
      for (int d = 0; d < deliveries.size(); d++) {
        b.append("delivery ")
            .append(d)
            .append(" hardStop ")
            .append(deliveries.get(d)[0])
            .append('\n');
      }
      for (SimUpstream.Request r : upstream.log()) {
        b.append("  req ").append(r).append('\n');
      }
      for (SimTopic.Message m : topic.messages()) {
        b.append("  msg d")
            .append(m.delivery())
            .append(' ')
            .append(m.at())
            .append(' ')
            .append(m.topic())
            .append(' ')
            .append(m.data())
            .append('\n');
      }
      return b.toString();
    }

    /**
     * Whether the last answer to {@code method} for {@code name} before {@code at} failed
     * transiently.
     */
    private boolean lastAnswerFailed(String name, String method, long at) {
      String last = null;
      for (SimUpstream.Request r : upstream.log()) {
        if (r.at() < at && r.method().equals(method) && r.target().equals(name)) {
          last = r.answer();
        }
      }
      return last != null && TRANSIENT.contains(last);
    }

    private static void require(boolean ok, String what) {
      if (!ok) {
        throw new AssertionError(what);
      }
    }
  }
}
