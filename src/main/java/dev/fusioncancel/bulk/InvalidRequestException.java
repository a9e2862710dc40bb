package dev.fusioncancel.bulk;

/** A bulk message that is not a valid request; it is reported once and never retried. */
public final class InvalidRequestException extends Exception {
  public InvalidRequestException(String message) {
    super(message);
  }
}
