package dev.fusioncancel.pubsub;

/**
 * The CloudEvent is not a readable Pub/Sub message. It carries the best request id known (the
 * message id when it could be read, else the CloudEvent id) so the error summary can be reported.
 */
public final class InvalidMessageException extends Exception {
  private final String messageId;

  /** An envelope that was refused for {@code reason}, under {@code messageId}. */
  public InvalidMessageException(String messageId, String reason) {
    super(reason);
    this.messageId = messageId;
  }

  /** The id to report the error summary under. */
  public String messageId() {
    return messageId;
  }
}
