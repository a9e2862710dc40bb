package dev.fusioncancel.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A response body read into memory up to a cap: past it, reading stops and fails with {@link
 * TooLarge}, naming the cap, so no upstream answer can make the function hold an unbounded body.
 */
final class CappedBody {
  /** The body was longer than the cap. */
  static final class TooLarge extends IOException {
    TooLarge(int cap) {
      super("the response body is over " + cap + " bytes; it was not read");
    }
  }

  private CappedBody() {}

  /**
   * Reads {@code in} to its end as UTF-8.
   *
   * @param declaredLength the Content-Length, or -1 when unknown: a longer one is refused unread
   * @throws TooLarge when the body (declared or read) is over {@code cap} bytes
   */
  static String read(InputStream in, long declaredLength, int cap) throws IOException {
    if (declaredLength > cap) {
      throw new TooLarge(cap);
    }
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(declaredLength > 0 ? (int) declaredLength : 512);
    byte[] chunk = new byte[8192];
    int n;
    while ((n = in.read(chunk)) != -1) {
      if (bytes.size() + n > cap) {
        throw new TooLarge(cap);
      }
      bytes.write(chunk, 0, n);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
