package dev.fusioncancel.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A function running under the real Functions Framework invoker in its own JVM, as Cloud Functions
 * runs it: {@code java com.google.cloud.functions.invoker.runner.Invoker --target ... --port ...}.
 * Its output lines are captured for assertions.
 */
public final class FunctionProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

  private FunctionProcess(Process process, int port) {
    this.process = process;
    this.port = port;
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                  if (System.getenv("FUSION_CANCEL_ECHO") != null) {
                    System.out.println("[" + port + "] " + line);
                  }
                }
              } catch (IOException ignored) {
                // process ended
              }
            },
            "function-output-" + port);
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * Starts the invoker for {@code target} on a free port with exactly {@code env} added to a clean
   * environment (PATH, HOME and JAVA_HOME kept), and waits until it listens.
   */
  public static FunctionProcess start(String target, Map<String, String> env, String... jvmArgs) {
    return start(target, Ports.free(), env, jvmArgs);
  }

  /** As {@link #start(String, Map, String...)}, on a given port. */
  public static FunctionProcess start(
      String target, int port, Map<String, String> env, String... jvmArgs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.java());
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Xshare:auto");
    cmd.addAll(List.of(jvmArgs));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("com.google.cloud.functions.invoker.runner.Invoker");
    cmd.add("--target");
    cmd.add(target);
    cmd.add("--port");
    cmd.add(Integer.toString(port));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> e = pb.environment();
    Map<String, String> keep = Map.copyOf(e);
    e.clear();
    for (String k : List.of("PATH", "HOME", "JAVA_HOME", "LANG", "TMPDIR")) {
      if (keep.containsKey(k)) {
        e.put(k, keep.get(k));
      }
    }
    e.putAll(env);
    try {
      Process p = pb.start();
      FunctionProcess fp = new FunctionProcess(p, port);
      try {
        Ports.awaitOpen(port, Duration.ofSeconds(60), p);
      } catch (RuntimeException failed) {
        fp.close();
        throw new IllegalStateException(
            "invoker for " + target + " did not start: " + String.join("\n", fp.lines()), failed);
      }
      return fp;
    } catch (IOException ex) {
      throw new IllegalStateException("cannot start the invoker", ex);
    }
  }

  /**
   * Starts another command that serves a function on {@code port} (such as {@code mvn
   * function:run}) and captures its output, without waiting for it to listen.
   */
  public static FunctionProcess launch(ProcessBuilder pb, int port) throws IOException {
    return new FunctionProcess(pb.redirectErrorStream(true).start(), port);
  }

  /** Waits until it listens, or fails showing its last output. */
  public void awaitListening(Duration timeout) {
    try {
      Ports.awaitOpen(port, timeout, process);
    } catch (RuntimeException e) {
      List<String> all = lines();
      throw new IllegalStateException(
          "no function listening on "
              + port
              + ": "
              + String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size())),
          e);
    }
  }

  /** The function's base URL. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** Every line the process printed so far (stdout and stderr). */
  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** Waits until a printed line matches, or fails. */
  public String awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String l : lines()) {
        if (match.test(l)) {
          return l;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no matching line within " + timeout + ": " + lines());
  }

  /** Whether the JVM is still running. */
  public boolean alive() {
    return process.isAlive();
  }

  /** The JVM's process id. */
  public long pid() {
    return process.pid();
  }

  /** Kills the JVM at once (as a crash would) and returns once it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new IllegalStateException("the invoker did not die within 10 s of SIGKILL");
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Locates the java binary of the running JVM. */
  static final class Path {
    static String java() {
      return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
  }
}
