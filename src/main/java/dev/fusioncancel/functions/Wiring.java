package dev.fusioncancel.functions;

import dev.fusioncancel.bulk.BulkRunner;
import dev.fusioncancel.bulk.BulkService;
import dev.fusioncancel.bulk.BulkSettings;
import dev.fusioncancel.client.HttpOperationsApi;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.config.ConfigException;
import dev.fusioncancel.events.LoggingOutcomeSink;
import dev.fusioncancel.events.OutcomeSink;
import dev.fusioncancel.events.PubSubPublishers;
import dev.fusioncancel.events.TopicSinks;
import dev.fusioncancel.http.CancelHandler;
import dev.fusioncancel.log.CloudLog;
import dev.fusioncancel.outcome.Canceller;
import dev.fusioncancel.outcome.PollSettings;
import dev.fusioncancel.time.Sleeper;
import java.time.Clock;
import java.util.Map;

/** Production wiring shared by both entry points: one place that builds the real collaborators. */
final class Wiring {
  private Wiring() {}

  /**
   * The configuration of this process, read once per instance through {@link Config#from}; a bad
   * value is logged as one CRITICAL line naming the variable, and the instance does not start.
   */
  static Config config() {
    try {
      return Config.fromEnvironment();
    } catch (ConfigException e) {
      CloudLog.log(
          CloudLog.Severity.CRITICAL,
          "fusion-cancel refuses to start: " + e.getMessage(),
          null,
          Map.of("variable", e.variable()));
      throw e;
    }
  }

  /** The Data Fusion client for this configuration. */
  static OperationsApi operationsApi(Config config) {
    return HttpOperationsApi.fromConfig(config);
  }

  /** The HTTP function's service, its request path warmed up in the background. */
  static CancelHandler cancelHandler(Config config) {
    OperationsApi api = operationsApi(config);
    Warmup.start(api);
    Canceller canceller =
        new Canceller(api, Clock.systemUTC(), Sleeper.SYSTEM, PollSettings.DEFAULT);
    return new CancelHandler(
        config, canceller, Clock.systemUTC(), config.runtimeProject().orElse(null));
  }

  /** The bulk function's service: outcome events to {@code OUTCOME_TOPIC}, else to the log. */
  static BulkService bulkService(Config config) {
    PubSubPublishers publishers = new PubSubPublishers(config.pubsubEmulatorHost());
    OutcomeSink outcomes =
        config.outcomeTopic().isPresent()
            ? publishers.forTopic(config.outcomeTopic().get())
            : new LoggingOutcomeSink();
    return bulkService(
        config,
        operationsApi(config),
        outcomes,
        publishers,
        Clock.systemUTC(),
        Sleeper.SYSTEM,
        BulkSettings.forDeadline(config.bulkDeadline()));
  }

  /** The bulk function's service from given collaborators (tests, benchmarks). */
  static BulkService bulkService(
      Config config,
      OperationsApi api,
      OutcomeSink outcomes,
      TopicSinks topics,
      Clock clock,
      Sleeper sleeper,
      BulkSettings settings) {
    BulkRunner runner = new BulkRunner(config, api, clock, sleeper, settings);
    return new BulkService(runner, outcomes, topics, clock, settings.safetyMargin());
  }
}
