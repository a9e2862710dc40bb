package dev.fusioncancel.functions;

import dev.fusioncancel.budget.Budgets;
import dev.fusioncancel.client.HttpOperationsApi;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.client.OperationsTransport;
import dev.fusioncancel.client.RetrySettings;
import dev.fusioncancel.client.RetryingOperationsApi;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.time.Sleeper;
import dev.fusioncancel.time.Ticker;
import java.util.concurrent.ThreadLocalRandom;

/** Production wiring shared by both entry points: one place that builds the real collaborators. */
final class Wiring {
  private Wiring() {}

  /** The single-exchange Data Fusion transport for this configuration. */
  static HttpOperationsApi transport(Config config) {
    return HttpOperationsApi.fromConfig(config, RetrySettings.DEFAULT);
  }

  /**
   * The retried, budgeted client over {@code transport}: every request takes a permit from its
   * location's budget ({@link Budgets}, the one factory), on the system's monotonic time.
   */
  static OperationsApi operationsApi(Config config, OperationsTransport transport) {
    return new RetryingOperationsApi(
        transport,
        RetrySettings.DEFAULT,
        new Budgets(config.requestsPerMinute(), Ticker.SYSTEM, Sleeper.SYSTEM),
        Ticker.SYSTEM,
        Sleeper.SYSTEM,
        () -> ThreadLocalRandom.current().nextDouble());
  }
}
