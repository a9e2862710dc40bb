package dev.fusioncancel.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SecretRedactionTest {

  static Stream<Arguments> lines() {
    return Stream.of(
        Arguments.of("Authorization: Bearer ya29.abc", "Authorization: <redacted>"),
        Arguments.of(
            "authorization:Bearer x\nAccept: application/json",
            "authorization:<redacted>\nAccept: application/json"),
        Arguments.of(
            "{\"access_token\":\"ya29.abc\",\"expires_in\":3600}",
            "{\"access_token\":\"<redacted>\",\"expires_in\":3600}"),
        Arguments.of("{\"id_token\" : \"e.y.J\"}", "{\"id_token\" : \"<redacted>\"}"),
        Arguments.of(
            "GET /v1/projects/p/locations/l/operations/o",
            "GET /v1/projects/p/locations/l/operations/o"));
  }

  @ParameterizedTest
  @MethodSource("lines")
  void redact_removesCredentialValues_andKeepsTheRest(String in, String expected) {
    assertEquals(expected, SecretRedaction.redact(in));
  }

  @Test
  void install_redactsTheJdkHttpUrlConnectionHeaderDump_andGoogleHttpContent() {
    SecretRedaction.install();
    SecretRedaction.install(); // idempotent
    List<String> out = new ArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            out.add(new SimpleFormatter().formatMessage(r));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger jdk = Logger.getLogger("sun.net.www.protocol.http.HttpURLConnection");
    Logger googleHttp = Logger.getLogger("com.google.api.client.http.HttpTransport");
    Level jdkLevel = jdk.getLevel();
    Level googleLevel = googleHttp.getLevel();
    try {
      jdk.addHandler(capture);
      googleHttp.addHandler(capture);
      googleHttp.setLevel(Level.ALL);
      System.getLogger("sun.net.www.protocol.http.HttpURLConnection")
          .log(
              System.Logger.Level.INFO,
              "sun.net.www.MessageHeader@1f2a3b4c pairs: {POST /v1/x HTTP/1.1: null}"
                  + "{Authorization: Bearer tok-1}{Accept: application/json}");
      jdk.log(Level.INFO, "HEADERS: {0}", "Authorization: Bearer tok-2");
      googleHttp.config("{\"access_token\":\"tok-3\",\"expires_in\":3600}");

      assertEquals(3, out.size(), out.toString());
      for (String line : out) {
        assertFalse(line.contains("tok-"), line);
        assertTrue(line.contains("<redacted>"), line);
      }
      assertTrue(out.get(0).contains("POST /v1/x HTTP/1.1"), "the rest of the line stays");
      assertTrue(out.get(0).contains("{Accept: application/json}"), out.get(0));
    } finally {
      jdk.removeHandler(capture);
      googleHttp.removeHandler(capture);
      jdk.setLevel(jdkLevel);
      googleHttp.setLevel(googleLevel);
    }
  }
}
