package dev.fusioncancel.bulk;

import dev.fusioncancel.client.InMemoryOperationsApi;
import dev.fusioncancel.config.Config;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared names and builders for the bulk tests. */
final class Fixtures {
  static final String P = "projects/proj-a/locations/us-central1";
  static final String Q = "projects/proj-a/locations/europe-west1";
  static final String TARGET = "projects/proj-a/locations/us-central1/instances/i1";

  private Fixtures() {}

  static String op(String parent, String id) {
    return parent + "/operations/" + id;
  }

  static Config config(String allowedParents, int rpm) {
    return Config.from(
        Map.of("ALLOWED_PARENTS", allowedParents, "REQUESTS_PER_MINUTE", Integer.toString(rpm)));
  }

  static Config config() {
    return config("", 540);
  }

  /** Adds a running operation created {@code age} before {@code now}. */
  static void running(
      InMemoryOperationsApi api, String name, String verb, Instant now, Duration age) {
    api.put(InMemoryOperationsApi.running(name, verb, TARGET, now.minus(age)));
  }

  /** A runner over {@code transport} through the real retry and budget layer, on fake time. */
  static BulkRunner runner(
      Config config,
      dev.fusioncancel.client.OperationsTransport transport,
      dev.fusioncancel.time.FakeTime time,
      BulkSettings settings) {
    return runner(
        config,
        transport,
        new dev.fusioncancel.budget.Budgets(config.requestsPerMinute(), time, time),
        time,
        settings);
  }

  /** As above with the given budgets; the workers run inline, so the run is deterministic. */
  static BulkRunner runner(
      Config config,
      dev.fusioncancel.client.OperationsTransport transport,
      java.util.function.Function<
              dev.fusioncancel.name.LocationName, dev.fusioncancel.budget.Budget>
          budgets,
      dev.fusioncancel.time.FakeTime time,
      BulkSettings settings) {
    return new BulkRunner(
        config,
        dev.fusioncancel.client.TestClients.retrying(
            transport, dev.fusioncancel.client.RetrySettings.DEFAULT, budgets, time),
        time,
        time,
        time,
        dev.fusioncancel.engine.Workers.inline(),
        settings);
  }

  static BulkRequest request(List<String> operations, List<String> parents) {
    return new BulkRequest(
        operations,
        parents.stream().map(dev.fusioncancel.name.LocationName::parse).toList(),
        Optional.empty(),
        List.of(),
        List.of(),
        BulkRequest.DEFAULT_LIMIT,
        false,
        Duration.ofSeconds(30),
        Optional.empty());
  }

  static BulkRequest parse(String json) {
    try {
      return BulkRequestJson.parse(json);
    } catch (InvalidRequestException e) {
      throw new AssertionError(e);
    }
  }
}
