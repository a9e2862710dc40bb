package dev.fusioncancel.json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Decodes untrusted bytes as UTF-8, refusing malformed input instead of replacing it (the JDK's
 * default), so that an invalid byte can never turn into a different, valid-looking character.
 */
public final class StrictUtf8 {
  private StrictUtf8() {}

  /** The decoded text, or empty when the bytes are not valid UTF-8. */
  public static Optional<String> decode(byte[] bytes) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
