package dev.fusioncancel.outcome;

/** How one cancel ended: exactly one per operation, as the contract defines them. */
public enum Outcome {
  /** Operation done with {@code error.code == 1}. */
  CANCELLED,
  /** Operation done with {@code response}: it finished before or despite the cancel. */
  COMPLETED,
  /** Operation done with an error other than code 1. */
  FAILED,
  /** Cancel accepted, operation not done when the wait ended. */
  CANCELLING,
  /** Cancel answered UNIMPLEMENTED or FAILED_PRECONDITION and the operation is still running. */
  NOT_CANCELLABLE,
  /** The operation does not exist. */
  NOT_FOUND,
  /** The API refused the caller. */
  PERMISSION_DENIED,
  /** The name broke the rules; no call was made. */
  INVALID_NAME,
  /** Outside {@code ALLOWED_PARENTS}; no call was made. */
  NOT_ALLOWED,
  /** Retries exhausted or an unexpected answer. */
  ERROR,
  /** A dry run: would have been cancelled. */
  DRY_RUN;

  /** Whether the HTTP function answers this outcome with 200 and the outcome document. */
  public boolean isSuccessfulAnswer() {
    return switch (this) {
      case CANCELLED, COMPLETED, FAILED, CANCELLING, NOT_CANCELLABLE, DRY_RUN -> true;
      default -> false;
    };
  }

  /** Whether the operation has reached a final state (no point checking it again). */
  public boolean isFinal() {
    return this != CANCELLING;
  }
}
