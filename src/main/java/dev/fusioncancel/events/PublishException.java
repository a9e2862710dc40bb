package dev.fusioncancel.events;

/** Some event could not be published; the function fails so that Pub/Sub delivers again. */
public final class PublishException extends Exception {
  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
