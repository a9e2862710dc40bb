package dev.fusioncancel.client;

import java.io.IOException;
import java.util.Optional;

/**
 * Where the client's {@code Authorization} header comes from. Implementations are thread-safe.
 * Values are secrets: they are never logged nor put into an exception message.
 */
public interface AccessTokens {
  /**
   * The {@code Authorization} header value for the next request, e.g. {@code Bearer ...}; empty to
   * send none.
   *
   * @throws IOException when the token source failed (treated as transient: UNAVAILABLE)
   */
  Optional<String> authorizationHeader() throws IOException;

  /**
   * Forces a new token after the API answered 401, before the one retry that follows.
   *
   * @throws IOException when the token source failed (treated as transient: UNAVAILABLE)
   */
  void refresh() throws IOException;

  /** No credentials at all: for plain-HTTP loopback emulators. */
  static AccessTokens none() {
    return None.INSTANCE;
  }

  /** The implementation of {@link #none()}. */
  enum None implements AccessTokens {
    INSTANCE;

    @Override
    public Optional<String> authorizationHeader() {
      return Optional.empty();
    }

    @Override
    public void refresh() {}
  }
}
