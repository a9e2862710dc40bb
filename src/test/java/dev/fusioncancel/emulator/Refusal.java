package dev.fusioncancel.emulator;

import dev.fusioncancel.rpc.Code;

/** An API error a request handler answers with: the code and the message of the reply. */
final class Refusal extends RuntimeException {
  final Code code;

  Refusal(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }
}
