package dev.fusioncancel.client;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1, made once per test run with the JDK's {@code keytool},
 * so that tests can run the client against a real HTTPS server, in this JVM or (through {@link
 * #trustStoreJvmArgs}) in a function's own JVM.
 */
public final class TestTls {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static KeyStore keyStore;
  private static Path trustStore;

  private TestTls() {}

  /** An HTTPS {@link ScriptedServer} on 127.0.0.1 serving the test certificate. */
  static ScriptedServer server() throws Exception {
    HttpsServer https = HttpsServer.create();
    https.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
    return new ScriptedServer(https);
  }

  /** A server TLS context serving the test certificate. */
  public static SSLContext serverContext() throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore(), PASSWORD);
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  /**
   * JVM options that make another JVM's default TLS context trust only the test certificate (its
   * public part, written to a temporary PKCS12 trust store).
   */
  public static synchronized String[] trustStoreJvmArgs() throws Exception {
    if (trustStore == null) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, PASSWORD);
      trust.setCertificateEntry("test", keyStore().getCertificate("test"));
      Path file = Files.createTempFile("fusion-cancel-trust", ".p12");
      file.toFile().deleteOnExit();
      try (OutputStream out = Files.newOutputStream(file)) {
        trust.store(out, PASSWORD);
      }
      trustStore = file;
    }
    return new String[] {
      "-Djavax.net.ssl.trustStore=" + trustStore,
      "-Djavax.net.ssl.trustStorePassword=" + new String(PASSWORD),
      "-Djavax.net.ssl.trustStoreType=PKCS12"
    };
  }

  /** A client TLS context that trusts only the test certificate. */
  static SSLContext clientContext() throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(keyStore());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static synchronized KeyStore keyStore() throws Exception {
    if (keyStore == null) {
      Path dir = Files.createTempDirectory("fusion-cancel-tls");
      Path file = dir.resolve("test.p12");
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                  "-genkeypair",
                  "-alias",
                  "test",
                  "-keyalg",
                  "EC",
                  "-groupname",
                  "secp256r1",
                  "-dname",
                  "CN=localhost",
                  "-ext",
                  "SAN=ip:127.0.0.1,dns:localhost",
                  "-validity",
                  "2",
                  "-storetype",
                  "PKCS12",
                  "-keystore",
                  file.toString(),
                  "-storepass",
                  new String(PASSWORD),
                  "-keypass",
                  new String(PASSWORD))
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool failed: " + output);
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(file)) {
        ks.load(in, PASSWORD);
      }
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
      keyStore = ks;
    }
    return keyStore;
  }
}
