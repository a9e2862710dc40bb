package dev.fusioncancel.functions;

import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.config.Config;

/** Builds the production collaborators of the functions from the configuration. */
final class Wiring {
  private Wiring() {}

  /**
   * The real Data Fusion client. TODO(lead, at merge): replace the body with {@code return
   * dev.fusioncancel.client.HttpOperationsApi.fromConfig(config);}
   */
  static OperationsApi operationsApi(Config config) {
    throw new UnsupportedOperationException("HttpOperationsApi not merged");
  }
}
