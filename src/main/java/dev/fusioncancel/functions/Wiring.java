package dev.fusioncancel.functions;

import dev.fusioncancel.budget.Budgets;
import dev.fusioncancel.bulk.BulkRunner;
import dev.fusioncancel.bulk.BulkService;
import dev.fusioncancel.bulk.BulkSettings;
import dev.fusioncancel.client.HttpOperationsApi;
import dev.fusioncancel.client.OperationsApi;
import dev.fusioncancel.client.OperationsTransport;
import dev.fusioncancel.client.RetrySettings;
import dev.fusioncancel.client.RetryingOperationsApi;
import dev.fusioncancel.config.Config;
import dev.fusioncancel.config.ConfigException;
import dev.fusioncancel.engine.CancelEngine;
import dev.fusioncancel.engine.ThreadWorkers;
import dev.fusioncancel.engine.Workers;
import dev.fusioncancel.events.LoggingOutcomeSink;
import dev.fusioncancel.events.OutcomeSink;
import dev.fusioncancel.events.PubSubPublishers;
import dev.fusioncancel.events.TopicSinks;
import dev.fusioncancel.http.CancelHandler;
import dev.fusioncancel.log.CloudLog;
import dev.fusioncancel.outcome.PollSettings;
import dev.fusioncancel.time.Sleeper;
import dev.fusioncancel.time.Ticker;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

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

  /** The HTTP function's service, its request path warmed up in the background. */
  static CancelHandler cancelHandler(Config config) {
    HttpOperationsApi transport = transport(config);
    Warmup.start(transport);
    CancelEngine engine =
        new CancelEngine(
            operationsApi(config, transport),
            Clock.systemUTC(),
            Ticker.SYSTEM,
            Sleeper.SYSTEM,
            PollSettings.DEFAULT,
            BulkSettings.DEFAULT.pageSize());
    return new CancelHandler(
        config,
        engine,
        Clock.systemUTC(),
        Ticker.SYSTEM,
        RetrySettings.DEFAULT.totalTimeout(),
        config.runtimeProject().orElse(null));
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
        operationsApi(config, transport(config)),
        outcomes,
        publishers,
        Clock.systemUTC(),
        Ticker.SYSTEM,
        Sleeper.SYSTEM,
        ThreadWorkers.INSTANCE,
        BulkSettings.forDeadline(config.bulkDeadline()));
  }

  /** The bulk function's service from given collaborators (tests, benchmarks, the simulation). */
  static BulkService bulkService(
      Config config,
      OperationsApi api,
      OutcomeSink outcomes,
      TopicSinks topics,
      Clock clock,
      Ticker ticker,
      Sleeper sleeper,
      Workers workers,
      BulkSettings settings) {
    BulkRunner runner = new BulkRunner(config, api, clock, ticker, sleeper, workers, settings);
    return new BulkService(runner, outcomes, topics, clock, ticker, settings.deadline());
  }
}
