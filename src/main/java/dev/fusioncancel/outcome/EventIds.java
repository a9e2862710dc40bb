package dev.fusioncancel.outcome;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable event ids: the same request and the same operation always give the same id. Operation
 * events and summaries hash disjoint inputs, so no operation name (not even an invalid one such as
 * {@code summary}) can collide with a summary: an operation's input is UTF-8 text and a 0x00
 * separator, a summary's carries a 0xFF byte, which UTF-8 never contains.
 */
public final class EventIds {
  private static final byte OPERATION_SEPARATOR = 0x00;
  private static final byte SUMMARY_SEPARATOR = (byte) 0xFF;

  private EventIds() {}

  /** The eventId of an operation's outcome: a 32-hex-digit id from the request id and the name. */
  public static String of(String requestId, String operation) {
    return hash(requestId, OPERATION_SEPARATOR, operation);
  }

  /** The eventId of summary part {@code part} (1 for the original run, n for follow-up n). */
  public static String summary(String requestId, int part) {
    return hash(requestId, SUMMARY_SEPARATOR, "summary/" + part);
  }

  private static String hash(String requestId, byte separator, String key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(requestId.getBytes(StandardCharsets.UTF_8));
      sha.update(separator);
      sha.update(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
