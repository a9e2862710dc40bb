package dev.fusioncancel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Free loopback ports, and waiting for a port to accept connections. */
public final class Ports {
  private Ports() {}

  /** A port that was free a moment ago. */
  public static int free() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until 127.0.0.1:port accepts a connection, or fails after the timeout. */
  public static void awaitOpen(int port, Duration timeout, Process process) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException("process exited with " + process.exitValue());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    throw new IllegalStateException("port " + port + " did not open within " + timeout);
  }

  /** Waits until nothing accepts connections on 127.0.0.1:port any more, or fails. */
  public static void awaitClosed(int port, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      } catch (IOException closed) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("port " + port + " still open after " + timeout);
  }
}
