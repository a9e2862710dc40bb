package dev.fusioncancel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.fusioncancel.emulator.Behaviour;
import dev.fusioncancel.emulator.FusionEmulator;
import dev.fusioncancel.emulator.Journal;
import dev.fusioncancel.testing.FunctionProcess;
import dev.fusioncancel.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * gcloud's generated Data Fusion client (apitools, shipped inside the Cloud SDK) pointed at the
 * function's drop-in path: it succeeds, and the emulator behind the function sees one cancel. And
 * the same client reads the emulator's {@code projects.locations.list}, page by page.
 */
class ApitoolsCompatibilityIT {
  private static final String NAME =
      "projects/demo-project/locations/us-central1/operations/op-apitools";

  @Test
  void generatedClient_cancelThroughTheFunction_succeeds_withExactlyOneUpstreamCancel()
      throws Exception {
    Path sdk = sdkRoot();
    Path python = sdk.resolve("platform/bundledpythonunix/bin/python3");
    Path script = Path.of("src/test/resources/apitools/cancel.py").toAbsolutePath();
    try (FusionEmulator emulator = FusionEmulator.builder().port(0).quotaPerMinute(0).build();
        FunctionProcess function =
            FunctionProcess.start(
                "dev.fusioncancel.functions.CancelHttpFunction",
                Map.of("DATAFUSION_ENDPOINT", emulator.endpoint()))) {
      emulator.seed(NAME, Behaviour.cancellable());
      Path config = Files.createTempDirectory("cloudsdk-config");
      ProcessBuilder pb =
          new ProcessBuilder(
                  python.toString(), script.toString(), sdk.toString(), function.url() + "/", NAME)
              .redirectErrorStream(true);
      pb.environment().put("CLOUDSDK_CONFIG", config.toString());
      Process p = pb.start();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "apitools client timed out");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(out.lines().anyMatch(l -> l.equals("OK")), out);

      assertEquals(1, emulator.journal().cancelCount(NAME));
      List<Journal.Entry> entries = emulator.journal().entries();
      assertEquals(1, entries.size(), entries.toString());
      assertEquals("POST", entries.get(0).method());
      assertEquals("/v1/" + NAME + ":cancel", entries.get(0).path());
      assertEquals(null, entries.get(0).query(), "alt=json must not be forwarded");
      assertTrue(
          function.lines().stream().anyMatch(l -> l.contains("/v1beta1/" + NAME + ":cancel")),
          "the function saw the generated client's v1beta1 request");
    }
  }

  @Test
  void generatedClient_listsTheEmulatorsLocationsAcrossPages_withTheirLabelsAndMetadata()
      throws Exception {
    Path sdk = sdkRoot();
    Path python = sdk.resolve("platform/bundledpythonunix/bin/python3");
    Path script = Path.of("src/test/resources/apitools/locations.py").toAbsolutePath();
    try (FusionEmulator emulator = FusionEmulator.builder().port(0).quotaPerMinute(0).build()) {
      emulator.seed(NAME, Behaviour.cancellable());
      emulator.seed(
          "projects/demo-project/locations/europe-west1/operations/e", Behaviour.alreadyDone());
      emulator.seed(
          "projects/other-project/locations/asia-east1/operations/o", Behaviour.cancellable());
      JsonObject metadata = new JsonObject();
      metadata.addProperty("@type", "type.googleapis.com/google.protobuf.Empty");
      emulator.locations().add("projects/demo-project/locations/us-east1", null, metadata);
      Path config = Files.createTempDirectory("cloudsdk-config");
      ProcessBuilder pb =
          new ProcessBuilder(
                  python.toString(),
                  script.toString(),
                  sdk.toString(),
                  emulator.endpoint() + "/",
                  "demo-project",
                  "2")
              .redirectErrorStream(true);
      pb.environment().put("CLOUDSDK_CONFIG", config.toString());
      Process p = pb.start();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "apitools client timed out");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(out.lines().anyMatch(l -> l.equals("OK")), out);

      assertEquals(
          List.of(
              "LOCATION projects/demo-project/locations/europe-west1 europe-west1"
                  + " cloud.googleapis.com/region=europe-west1 -",
              "LOCATION projects/demo-project/locations/us-central1 us-central1"
                  + " cloud.googleapis.com/region=us-central1 -",
              "LOCATION projects/demo-project/locations/us-east1 us-east1"
                  + " cloud.googleapis.com/region=us-east1"
                  + " type.googleapis.com/google.protobuf.Empty"),
          out.lines().filter(l -> l.startsWith("LOCATION ")).toList(),
          out);
      List<Journal.Entry> calls = emulator.journal().entries();
      assertEquals(2, calls.size(), "three locations at pageSize=2 are two pages: " + calls);
      for (Journal.Entry e : calls) {
        assertEquals("GET", e.method());
        assertEquals("/v1beta1/projects/demo-project/locations", e.path());
        assertEquals(200, e.status());
        assertTrue(e.query().contains("pageSize=2"), e.query());
      }
      assertTrue(calls.get(1).query().contains("pageToken="), "the second page follows the token");
    }
  }

  private static Path sdkRoot() throws Exception {
    String gcloud = Tools.require("gcloud", "apitools compatibility");
    Process p =
        new ProcessBuilder(gcloud, "info", "--format=value(installation.sdk_root)")
            .redirectErrorStream(false)
            .start();
    String root = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(60, TimeUnit.SECONDS);
    return Path.of(root);
  }
}
