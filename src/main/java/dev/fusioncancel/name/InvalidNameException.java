package dev.fusioncancel.name;

/** A resource name broke the contract's rules; nothing was sent anywhere. */
public final class InvalidNameException extends IllegalArgumentException {
  public InvalidNameException(String message) {
    super(message);
  }
}
