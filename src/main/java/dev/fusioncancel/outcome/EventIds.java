package dev.fusioncancel.outcome;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Stable event ids: the same request and the same operation always give the same id. */
public final class EventIds {
  private EventIds() {}

  /** The eventId of summary part {@code part} (1 for the original run). */
  public static String summary(String requestId, int part) {
    return of(requestId, part == 1 ? "summary" : "summary/" + part);
  }

  /** A 32-hex-digit id derived from the request id and the operation (or any other key). */
  public static String of(String requestId, String key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(requestId.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
