package dev.fusioncancel.functions;

import dev.fusioncancel.client.HttpOperationsApi;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.config.Config;

/** Production wiring shared by both entry points: one place that builds the real collaborators. */
final class Wiring {
  private Wiring() {}

  /** The Data Fusion client for this configuration. */
  static OperationsApi operationsApi(Config config) {
    return HttpOperationsApi.fromConfig(config);
  }
}
