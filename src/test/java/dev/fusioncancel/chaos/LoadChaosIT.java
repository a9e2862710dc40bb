package dev.fusioncancel.chaos;

import static dev.fusioncancel.chaos.ChaosRig.HTTP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.emulator.FusionEmulator;
import dev.fusioncancel.testing.FunctionProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Chaos: 32 concurrent clients against the HTTP function for 30 s on loopback (emulator quota off):
 * no errors but the scripted ones (every tenth request names a missing operation: 404), and the
 * heap after a full GC stays flat.
 */
class LoadChaosIT {
  private static final int CLIENTS = 32;
  private static final Duration RUN = Duration.ofSeconds(30);
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  @Test
  void thirtyTwoClientsForThirtySeconds_onlyScriptedErrors_andTheHeapStaysFlat() throws Exception {
    try (FusionEmulator emulator =
        FusionEmulator.builder().port(0).quotaPerMinute(0).threads(16).build()) {
      List<String> ops = ChaosRig.seed(emulator, 500);
      try (FunctionProcess f = FunctionProcess.start(HTTP, ChaosRig.env(emulator, null, null))) {
        HttpClient client =
            HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong unexpected = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        long end = System.nanoTime() + RUN.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
          pool.submit(
              () -> {
                while (System.nanoTime() < end) {
                  long n = sent.incrementAndGet();
                  boolean missing = n % 10 == 0;
                  String name =
                      missing
                          ? ChaosRig.US + "/operations/missing-" + n
                          : ops.get((int) (n % ops.size()));
                  try {
                    HttpResponse<String> r =
                        client.send(
                            HttpRequest.newBuilder(URI.create(f.url() + "/"))
                                .timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json")
                                .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                        "{\"name\":\"" + name + "\"}"))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    statuses
                        .computeIfAbsent(r.statusCode(), k -> new AtomicLong())
                        .incrementAndGet();
                    if (r.statusCode() != (missing ? 404 : 200)) {
                      unexpected.incrementAndGet();
                    }
                  } catch (Exception e) {
                    unexpected.incrementAndGet();
                  }
                }
                return null;
              });
        }
        List<Long> heap = new ArrayList<>();
        heap.add(heapAfterGc(f.pid()));
        for (int i = 0; i < 3; i++) {
          Thread.sleep(RUN.toMillis() / 3);
          heap.add(heapAfterGc(f.pid()));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        heap.add(heapAfterGc(f.pid()));
        System.out.printf(
            "LoadChaosIT: %d requests in %s by %d clients (%.0f/s); statuses %s;"
                + " heap used after GC (KiB) at 0/10/20/30 s and after: %s%n",
            sent.get(), RUN, CLIENTS, sent.get() / (double) RUN.toSeconds(), statuses, heap);
        assertEquals(0, unexpected.get(), "only the scripted 404s: " + statuses);
        long first = heap.get(1);
        long last = heap.get(heap.size() - 1);
        assertTrue(
            last < first * 3 / 2 + 32 * 1024,
            "heap after GC grew from " + first + " KiB to " + last + " KiB: " + heap);
      }
    }
  }

  /** The child JVM's used heap in KiB after a full GC, read with jcmd. */
  private static long heapAfterGc(long pid) throws Exception {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher m = USED.matcher(info);
    assertTrue(m.find(), info);
    return Long.parseLong(m.group(1));
  }

  private static String jcmd(long pid, String command) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process p =
        new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return out;
  }
}
