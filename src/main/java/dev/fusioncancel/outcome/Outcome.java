package dev.fusioncancel.outcome;

/** How one cancel ended: exactly one per operation, as the contract defines them. */
public enum Outcome {
  /** Operation done with {@code error.code == 1}. */
  CANCELLED,
  /** Operation done with {@code response}: it finished before or despite the cancel. */
  COMPLETED,
  /** Operation done with an error other than code 1. */
  FAILED,
  /** Cancel accepted, and a check saw the operation still running when the wait ended. */
  CANCELLING,
  /** Cancel was refused (UNIMPLEMENTED, FAILED_PRECONDITION or another refusal), still running. */
  NOT_CANCELLABLE,
  /** The operation does not exist. */
  NOT_FOUND,
  /** The API refused the caller. */
  PERMISSION_DENIED,
  /** The name broke the rules; no call was made. */
  INVALID_NAME,
  /** Outside {@code ALLOWED_PARENTS}; no call was made. */
  NOT_ALLOWED,
  /** Retries were exhausted, or nothing could be checked. */
  ERROR,
  /** A dry run: would have been cancelled. */
  DRY_RUN;

  /** Whether the operation has reached a final state (no point checking it again). */
  public boolean isFinal() {
    return this != CANCELLING;
  }
}
