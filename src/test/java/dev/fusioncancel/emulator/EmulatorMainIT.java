package dev.fusioncancel.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmulatorMainIT {

  @Test
  void main_startsSeededEmulatorAndPrintsEndpointAndNames() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--port",
                "0",
                "--quota",
                "0")
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>();
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("Try:")) {
        lines.add(line);
      }
      String first = lines.get(0);
      assertTrue(first.startsWith("Data Fusion emulator listening on http://127.0.0.1:"), first);
      String endpoint = first.substring(first.indexOf("http://"));
      String name = Main.US + "/operations/op-cancellable";
      assertTrue(lines.stream().anyMatch(l -> l.contains(name) && l.contains("cancellable")));
      assertTrue(
          lines.get(1).contains("latency lognormal p50 150 ms, p99 1500 ms"),
          "heavy-tailed latency unless a flag says otherwise: " + lines.get(1));

      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> cancel =
          client.send(
              HttpRequest.newBuilder(URI.create(endpoint + "/v1/" + name + ":cancel"))
                  .timeout(Duration.ofSeconds(5))
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, cancel.statusCode());
      HttpResponse<String> list =
          client.send(
              HttpRequest.newBuilder(URI.create(endpoint + "/v1/" + Main.EU + "/operations"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, list.statusCode());
      assertTrue(list.body().contains("op-eu-cancellable"), list.body());
    } finally {
      process.destroy();
      process.waitFor();
    }
  }
}
