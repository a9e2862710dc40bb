package dev.fusioncancel.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The one check of a Data Fusion endpoint, shared by {@link Config} and the REST client: {@code
 * https://host[:port]}, or {@code http://} on a literal loopback host (an emulator), with no path,
 * query or user info, so a token can never be sent in the clear or to a path it was not meant for.
 */
public final class Endpoint {
  private Endpoint() {}

  /**
   * The endpoint without a trailing slash.
   *
   * @throws IllegalArgumentException saying what is wrong with {@code text}
   */
  public static URI parse(String text) {
    URI uri;
    try {
      uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: '" + text + "'");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())) {
      throw new IllegalArgumentException(
          "must be scheme://host[:port] with no path, query or user info, got '" + text + "'");
    }
    if (scheme.equals("http")) {
      if (!isLoopback(uri.getHost())) {
        throw new IllegalArgumentException(
            "http:// is accepted only for loopback hosts (emulators), got '" + text + "'");
      }
    } else if (!scheme.equals("https")) {
      throw new IllegalArgumentException(
          "must use https:// (or http:// on loopback), got '" + text + "'");
    }
    return uri;
  }

  private static boolean isLoopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false; // never resolve names: only literal loopback addresses count
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (Exception e) {
      return false;
    }
  }
}
