package dev.fusioncancel.client;

import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Access tokens from Application Default Credentials with the {@code cloud-platform} scope.
 *
 * <p>The credentials are loaded lazily, on the first request rather than at start (so that a
 * function instance can start while the metadata server is still warming up), and then once per
 * instance: every thread shares them. google-auth caches the token and refreshes it shortly before
 * it expires ({@link GoogleCredentials#getRequestMetadata}), synchronising internally, so there is
 * no token cache here. A failed load is not remembered: the next call tries again.
 */
public final class GoogleAccessTokens implements AccessTokens {
  /** The OAuth scope Data Fusion accepts. */
  public static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";

  /** Loads credentials; the seam tests use instead of the environment's ADC. */
  @FunctionalInterface
  public interface Loader {
    GoogleCredentials load() throws IOException;
  }

  private final Loader loader;
  private final Object lock = new Object();
  private volatile GoogleCredentials credentials;

  /** Application Default Credentials, scoped for {@code cloud-platform}. */
  public GoogleAccessTokens() {
    this(() -> GoogleCredentials.getApplicationDefault().createScoped(List.of(SCOPE)));
  }

  /** Credentials from {@code loader}, called at most once successfully. */
  public GoogleAccessTokens(Loader loader) {
    this.loader = loader;
  }

  @Override
  public Optional<String> authorizationHeader() throws IOException {
    Map<String, List<String>> metadata = credentials().getRequestMetadata((URI) null);
    List<String> values = metadata == null ? null : metadata.get("Authorization");
    if (values == null || values.isEmpty() || values.get(0) == null) {
      throw new IOException("the credentials gave no Authorization header");
    }
    return Optional.of(values.get(0));
  }

  @Override
  public void refresh() throws IOException {
    credentials().refresh();
  }

  private GoogleCredentials credentials() throws IOException {
    GoogleCredentials c = credentials;
    if (c == null) {
      synchronized (lock) {
        c = credentials;
        if (c == null) {
          c = loader.load();
          if (c == null) {
            throw new IOException("no Application Default Credentials were found");
          }
          credentials = c;
        }
      }
    }
    return c;
  }

  @Override
  public String toString() {
    return "GoogleAccessTokens[scope=" + SCOPE + "]";
  }
}
