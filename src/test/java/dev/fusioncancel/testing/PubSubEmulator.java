package dev.fusioncancel.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Pub/Sub emulator from the installed Cloud SDK. Uses the one named by {@code
 * PUBSUB_EMULATOR_HOST} when set (CI starts one), otherwise starts its own with {@code setsid} so
 * that the whole process group can be stopped. Its own is the SDK's emulator binary with output to
 * a file (the {@code gcloud beta emulators pubsub start} wrapper pipes the output and was seen to
 * stop answering after a few idle minutes), or the gcloud wrapper when the binary is not there. An
 * own emulator can be stopped and restarted on the same port ({@link #restart()}); a restart loses
 * every topic, subscription and message. Without gcloud the test fails when {@code CI=true} and is
 * skipped (loudly) otherwise.
 */
public final class PubSubEmulator implements AutoCloseable {
  public static final String PROJECT = "fusion-cancel-test";
  private final String hostPort;
  private final int port;
  private final List<String> command;
  private final File log;
  private volatile Process process;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PubSubEmulator(String hostPort, int port, List<String> command, File log) {
    this.hostPort = hostPort;
    this.port = port;
    this.command = command;
    this.log = log;
  }

  /** Connects to the emulator of {@code PUBSUB_EMULATOR_HOST}, or starts an own one. */
  public static PubSubEmulator startOrConnect() throws IOException, InterruptedException {
    String existing = System.getenv("PUBSUB_EMULATOR_HOST");
    if (existing != null && !existing.isBlank()) {
      PubSubEmulator e = new PubSubEmulator(existing.trim(), -1, null, null);
      e.awaitReady(Duration.ofSeconds(30));
      return e;
    }
    return startOwn();
  }

  /**
   * Starts an own emulator on a free port even when {@code PUBSUB_EMULATOR_HOST} is set: for tests
   * that stop and restart it.
   */
  public static PubSubEmulator startOwn() throws IOException, InterruptedException {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    String gcloud = which("gcloud");
    if (gcloud == null) {
      if (ci) {
        throw new IllegalStateException(
            "CI=true but gcloud (Pub/Sub emulator) is not installed and PUBSUB_EMULATOR_HOST is unset");
      }
      Assumptions.abort("SKIPPED LOUDLY: gcloud not found; the Pub/Sub emulator tests need it");
    }
    int port = Ports.free();
    File log = Files.createTempFile("pubsub-emulator", ".log").toFile();
    PubSubEmulator e = new PubSubEmulator("127.0.0.1:" + port, port, command(gcloud, port), log);
    e.launch();
    return e;
  }

  /** The SDK's emulator binary when installed, else the gcloud wrapper; always under setsid. */
  private static List<String> command(String gcloud, int port) {
    File binary = emulatorBinary(gcloud);
    if (binary != null) {
      return List.of("setsid", binary.getAbsolutePath(), "--host=127.0.0.1", "--port=" + port);
    }
    return List.of(
        "setsid",
        gcloud,
        "beta",
        "emulators",
        "pubsub",
        "start",
        "--host-port=127.0.0.1:" + port,
        "--project=" + PROJECT);
  }

  private static File emulatorBinary(String gcloud) {
    try {
      Process p =
          new ProcessBuilder(gcloud, "info", "--format=value(installation.sdk_root)")
              .redirectErrorStream(false)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String root = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || root.isEmpty()) {
        p.destroyForcibly();
        return null;
      }
      File bin = new File(root, "platform/pubsub-emulator/bin/cloud-pubsub-emulator");
      return bin.canExecute() ? bin : null;
    } catch (IOException | InterruptedException e) {
      return null;
    }
  }

  private void launch() throws IOException, InterruptedException {
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
            .start();
    try {
      awaitReady(Duration.ofSeconds(60));
    } catch (RuntimeException failed) {
      stop();
      throw new IllegalStateException(
          "Pub/Sub emulator did not start: " + Files.readString(log.toPath()), failed);
    }
  }

  /** Whether this object started the emulator (and so may stop and restart it). */
  public boolean owned() {
    return command != null;
  }

  /**
   * Stops an own emulator (its whole process group) and waits until its port is closed, as an
   * outage would; {@link #restart()} brings it back.
   */
  public void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
      p.destroyForcibly();
      p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      Ports.awaitClosed(port, Duration.ofSeconds(10));
    } catch (IOException e) {
      p.destroyForcibly();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /**
   * Starts an own emulator again on the same port, empty: topics and subscriptions must be created
   * again.
   */
  public void restart() throws IOException, InterruptedException {
    if (!owned()) {
      throw new IllegalStateException("only an emulator this object started can be restarted");
    }
    stop();
    launch();
  }

  /** {@code host:port}, the value for {@code PUBSUB_EMULATOR_HOST}. */
  public String hostPort() {
    return hostPort;
  }

  /** Creates a topic (idempotent). */
  public void createTopic(String topic) throws IOException, InterruptedException {
    put("/v1/projects/" + PROJECT + "/topics/" + topic, "{}");
  }

  /** Creates a pull subscription on a topic with a 10 s ack deadline (idempotent). */
  public void createSubscription(String subscription, String topic)
      throws IOException, InterruptedException {
    createSubscription(subscription, topic, 10);
  }

  /**
   * Creates a pull subscription with the given ack deadline (idempotent); Eventarc's push
   * subscriptions use 600 s, so a slow delivery is not redelivered while it runs.
   */
  public void createSubscription(String subscription, String topic, int ackDeadlineSeconds)
      throws IOException, InterruptedException {
    put(
        "/v1/projects/" + PROJECT + "/subscriptions/" + subscription,
        "{\"topic\":\"projects/"
            + PROJECT
            + "/topics/"
            + topic
            + "\",\"ackDeadlineSeconds\":"
            + ackDeadlineSeconds
            + "}");
  }

  /** {@code projects/fusion-cancel-test/topics/T}. */
  public static String topicName(String topic) {
    return "projects/" + PROJECT + "/topics/" + topic;
  }

  /** Issues a REST call to the emulator and returns the body; fails on non-2xx. */
  public String call(String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://" + hostPort + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2 && !(method.equals("PUT") && r.statusCode() == 409)) {
      throw new IOException(
          "Pub/Sub emulator " + method + " " + path + " -> " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  private void put(String path, String body) throws IOException, InterruptedException {
    call("PUT", path, body);
  }

  private void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Process p = process;
      if (p != null && !p.isAlive()) {
        throw new IllegalStateException("emulator exited with " + p.exitValue());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://" + hostPort + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // keep waiting
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("Pub/Sub emulator at " + hostPort + " not ready in " + timeout);
  }

  /** Stops an emulator this object started (its whole process group); a shared one is left. */
  @Override
  public void close() {
    stop();
  }

  private static String which(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, command);
      if (f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    return null;
  }

  /** One pulled message. */
  public record Received(
      String ackId,
      String messageId,
      String data,
      java.util.Map<String, String> attributes,
      String publishTime) {}

  /** Pulls up to {@code max} messages (waits briefly when none are there). */
  public List<Received> pull(String subscription, int max)
      throws IOException, InterruptedException {
    String body =
        call(
            "POST",
            "/v1/projects/" + PROJECT + "/subscriptions/" + subscription + ":pull",
            "{\"maxMessages\":" + max + ",\"returnImmediately\":true}");
    List<Received> out = new ArrayList<>();
    com.google.gson.JsonObject root =
        com.google.gson.JsonParser.parseString(body).getAsJsonObject();
    if (!root.has("receivedMessages")) {
      return out;
    }
    for (com.google.gson.JsonElement e : root.getAsJsonArray("receivedMessages")) {
      com.google.gson.JsonObject rm = e.getAsJsonObject();
      com.google.gson.JsonObject m = rm.getAsJsonObject("message");
      java.util.Map<String, String> attrs = new java.util.TreeMap<>();
      if (m.has("attributes")) {
        m.getAsJsonObject("attributes")
            .entrySet()
            .forEach(a -> attrs.put(a.getKey(), a.getValue().getAsString()));
      }
      String data =
          m.has("data")
              ? new String(
                  java.util.Base64.getDecoder().decode(m.get("data").getAsString()),
                  java.nio.charset.StandardCharsets.UTF_8)
              : "";
      out.add(
          new Received(
              rm.get("ackId").getAsString(),
              m.get("messageId").getAsString(),
              data,
              attrs,
              m.has("publishTime") ? m.get("publishTime").getAsString() : null));
    }
    return out;
  }

  /** Acknowledges messages. */
  public void ack(String subscription, List<String> ackIds)
      throws IOException, InterruptedException {
    if (ackIds.isEmpty()) {
      return;
    }
    com.google.gson.JsonObject o = new com.google.gson.JsonObject();
    com.google.gson.JsonArray ids = new com.google.gson.JsonArray();
    ackIds.forEach(ids::add);
    o.add("ackIds", ids);
    call(
        "POST",
        "/v1/projects/" + PROJECT + "/subscriptions/" + subscription + ":acknowledge",
        o.toString());
  }

  /** Makes messages available for redelivery at once (a nack). */
  public void nack(String subscription, List<String> ackIds)
      throws IOException, InterruptedException {
    if (ackIds.isEmpty()) {
      return;
    }
    com.google.gson.JsonObject o = new com.google.gson.JsonObject();
    com.google.gson.JsonArray ids = new com.google.gson.JsonArray();
    ackIds.forEach(ids::add);
    o.add("ackIds", ids);
    o.addProperty("ackDeadlineSeconds", 0);
    call(
        "POST",
        "/v1/projects/" + PROJECT + "/subscriptions/" + subscription + ":modifyAckDeadline",
        o.toString());
  }

  /** Publishes one message with data and attributes; returns its messageId. */
  public String publish(String topic, String data, java.util.Map<String, String> attributes)
      throws IOException, InterruptedException {
    com.google.gson.JsonObject msg = new com.google.gson.JsonObject();
    msg.addProperty(
        "data",
        java.util.Base64.getEncoder()
            .encodeToString(data.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    com.google.gson.JsonObject attrs = new com.google.gson.JsonObject();
    attributes.forEach(attrs::addProperty);
    if (!attributes.isEmpty()) {
      msg.add("attributes", attrs);
    }
    com.google.gson.JsonArray msgs = new com.google.gson.JsonArray();
    msgs.add(msg);
    com.google.gson.JsonObject o = new com.google.gson.JsonObject();
    o.add("messages", msgs);
    String body =
        call("POST", "/v1/projects/" + PROJECT + "/topics/" + topic + ":publish", o.toString());
    return com.google.gson.JsonParser.parseString(body)
        .getAsJsonObject()
        .getAsJsonArray("messageIds")
        .get(0)
        .getAsString();
  }

  /** Pulls and acknowledges until {@code count} messages arrived or the timeout passed. */
  public List<Received> drain(String subscription, int count, Duration timeout)
      throws IOException, InterruptedException {
    List<Received> all = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (all.size() < count && System.nanoTime() < deadline) {
      List<Received> batch = pull(subscription, 1000);
      ack(subscription, batch.stream().map(Received::ackId).toList());
      all.addAll(batch);
      if (batch.isEmpty()) {
        Thread.sleep(100);
      }
    }
    return all;
  }
}
