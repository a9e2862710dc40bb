package dev.fusioncancel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusioncancel.emulator.Behaviour;
import dev.fusioncancel.emulator.FusionEmulator;
import dev.fusioncancel.emulator.Journal;
import dev.fusioncancel.emulator.MutableClock;
import dev.fusioncancel.emulator.Seed;
import dev.fusioncancel.rpc.Code;
import dev.fusioncancel.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The emulator is faithful enough for the installed gcloud: with {@code
 * api_endpoint_overrides/datafusion} pointing at it, {@code gcloud beta data-fusion operations
 * list} shows every seeded operation with its verb, target and error code (also paged, {@code
 * --page-size=2}), and {@code operations wait} returns once an operation finishes on its own.
 * gcloud is slow to start, so the test makes few calls.
 */
class GcloudEmulatorFidelityIT {
  private static final String PROJECT = "demo-project";
  private static final String LOCATION = "us-central1";
  private static final String PARENT = "projects/" + PROJECT + "/locations/" + LOCATION;
  private static final String WAIT_OP = "op-finishes-soon";

  /** name -> {verb, target, error code or null}, as seeded. */
  private final Map<String, List<Object>> seeded = new LinkedHashMap<>();

  @Test
  void gcloudList_showsEverySeededOperation_pagedToo_andWaitReturnsWhenOneFinishesByItself()
      throws Exception {
    String gcloud = Tools.require("gcloud", "the emulator's gcloud fidelity");
    MutableClock clock = MutableClock.at(java.time.Instant.parse("2026-11-26T10:00:00Z"));
    try (FusionEmulator emulator =
        FusionEmulator.builder().port(0).quotaPerMinute(0).clock(clock).build()) {
      seed(emulator, "op-running", Behaviour.neverFinishes(), "update", "inst-1", null);
      seed(emulator, "op-done", Behaviour.alreadyDone(), "create", "inst-2", null);
      seed(
          emulator,
          "op-failed",
          Behaviour.alreadyFailed(Code.INTERNAL, "Instance update failed."),
          "restart",
          "inst-3",
          13);
      seed(emulator, "op-cancelled", Behaviour.cancellable(), "upgrade", "inst-4", 1);
      seed(
          emulator,
          WAIT_OP,
          Behaviour.finishesAfter(Duration.ofSeconds(4)),
          "delete",
          "inst-5",
          null);
      HttpCancel.cancel(emulator.endpoint() + "/v1/" + PARENT + "/operations/op-cancelled:cancel");

      Path config = Files.createTempDirectory("cloudsdk-config");
      Gcloud g = new Gcloud(gcloud, config);
      g.run("config", "set", "api_endpoint_overrides/datafusion", emulator.endpoint() + "/");
      g.run("config", "set", "auth/disable_credentials", "true");
      g.run("config", "set", "core/project", PROJECT);

      String list = "--project=" + PROJECT;
      assertListed(
          g.run("beta", "data-fusion", "operations", "list", list, loc(), "--format=json"));
      emulator.journal().clear();
      assertListed(
          g.run(
              "beta",
              "data-fusion",
              "operations",
              "list",
              list,
              loc(),
              "--page-size=2",
              "--format=json"));
      List<Journal.Entry> pages =
          emulator.journal().entries().stream()
              .filter(e -> e.path().endsWith(PARENT + "/operations"))
              .toList();
      assertEquals(3, pages.size(), "5 operations in pages of 2: " + pages);
      assertTrue(pages.get(0).query().contains("pageSize=2"), pages.toString());
      assertTrue(
          pages.subList(1, 3).stream().allMatch(e -> e.query().contains("pageToken=")),
          "gcloud followed nextPageToken: " + pages);

      // The emulator's clock stands still until gcloud has polled the running operation once:
      // then time passes, the operation finishes by itself, and the wait must return.
      String waitOp = PARENT + "/operations/" + WAIT_OP;
      emulator.journal().clear();
      Process wait = g.start("beta", "data-fusion", "operations", "wait", WAIT_OP, loc());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (emulator.journal().getCount(waitOp) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(emulator.journal().getCount(waitOp) >= 1, "gcloud never polled the operation");
      assertFalse(done(emulator, WAIT_OP));
      assertTrue(wait.isAlive(), "gcloud wait returned while the operation was still running");
      clock.advance(Duration.ofSeconds(5));
      assertTrue(wait.waitFor(120, TimeUnit.SECONDS), "gcloud wait did not return once done");
      assertEquals(0, wait.exitValue(), "gcloud wait failed");
      assertTrue(done(emulator, WAIT_OP));
      assertTrue(emulator.journal().getCount(waitOp) >= 2, "polled again and saw it done");
    }
  }

  private void seed(
      FusionEmulator emulator,
      String id,
      Behaviour behaviour,
      String verb,
      String instance,
      Integer errorCode) {
    String target = PARENT + "/instances/" + instance;
    emulator.seed(Seed.of(PARENT + "/operations/" + id, behaviour).verb(verb).target(target));
    List<Object> expected = new ArrayList<>();
    expected.add(verb);
    expected.add(target);
    expected.add(errorCode);
    seeded.put(PARENT + "/operations/" + id, expected);
  }

  private void assertListed(String json) {
    Map<String, List<Object>> listed = new TreeMap<>();
    for (JsonElement e : JsonParser.parseString(json).getAsJsonArray()) {
      JsonObject op = e.getAsJsonObject();
      JsonObject metadata = op.getAsJsonObject("metadata");
      List<Object> shown = new ArrayList<>();
      shown.add(metadata.get("verb").getAsString());
      shown.add(metadata.get("target").getAsString());
      shown.add(op.has("error") ? op.getAsJsonObject("error").get("code").getAsInt() : null);
      listed.put(op.get("name").getAsString(), shown);
    }
    assertEquals(new TreeMap<>(seeded), listed, "gcloud's list: " + json);
  }

  private static boolean done(FusionEmulator emulator, String id) {
    JsonObject op = emulator.operation(PARENT + "/operations/" + id).orElseThrow();
    return op.has("done") && op.get("done").getAsBoolean();
  }

  private static String loc() {
    return "--location=" + LOCATION;
  }

  /** One throwaway gcloud configuration; every call must succeed. */
  private record Gcloud(String executable, Path config) {
    /** Runs gcloud to the end and gives its standard output; it must exit 0. */
    String run(String... args) throws Exception {
      Path err = Files.createTempFile("gcloud", ".err");
      Process p = start(err, args);
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gcloud timed out: " + List.of(args));
      assertEquals(0, p.exitValue(), List.of(args) + "\n" + out + "\n" + Files.readString(err));
      return out;
    }

    /** Starts gcloud, its output discarded. */
    Process start(String... args) throws Exception {
      return start(null, args);
    }

    private Process start(Path err, String... args) throws Exception {
      List<String> cmd = new ArrayList<>(List.of(executable, "--quiet"));
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().put("CLOUDSDK_CONFIG", config.toString());
      pb.environment().remove("CLOUDSDK_CORE_PROJECT");
      pb.environment().remove("CLOUDSDK_API_ENDPOINT_OVERRIDES_DATAFUSION");
      if (err == null) {
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      } else {
        pb.redirectError(err.toFile());
      }
      return pb.start();
    }
  }

  /** The one plain call the test makes itself: cancel an operation before gcloud looks. */
  private static final class HttpCancel {
    static void cancel(String url) throws Exception {
      java.net.http.HttpResponse<String> r =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                      .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
    }
  }
}
