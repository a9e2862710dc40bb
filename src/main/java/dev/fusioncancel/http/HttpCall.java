package dev.fusioncancel.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A framework-free view of one HTTP request: what the handler needs, nothing else. The path and
 * query are raw (not percent-decoded, not normalised) so that validation sees what was sent.
 */
public record HttpCall(
    String method,
    String rawPath,
    String rawQuery,
    Map<String, List<String>> headers,
    byte[] body) {

  public HttpCall {
    TreeMap<String, List<String>> folded = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> folded.put(k, List.copyOf(v)));
    headers = folded;
  }

  /** The first value of a header, case-insensitively. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The media type of the body without parameters, lower case; empty when none was sent. */
  public String mediaType() {
    return header("Content-Type")
        .map(ct -> ct.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
        .orElse("");
  }

  /**
   * The raw path and query of a request URI as sent, e.g. from {@code http://h:1/a%2Fb?x=1}: path
   * {@code /a%2Fb}, query {@code x=1}.
   */
  public static String[] splitUri(String uri) {
    String rest = uri;
    int scheme = rest.indexOf("://");
    if (scheme >= 0 && scheme < rest.indexOf('/') + 1) {
      int slash = rest.indexOf('/', scheme + 3);
      rest = slash < 0 ? "/" : rest.substring(slash);
    }
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      rest = rest.substring(0, hash);
    }
    int q = rest.indexOf('?');
    return q < 0
        ? new String[] {rest, null}
        : new String[] {rest.substring(0, q), rest.substring(q + 1)};
  }
}
