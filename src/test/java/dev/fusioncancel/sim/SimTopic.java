package dev.fusioncancel.sim;

import dev.fusioncancel.events.OutcomeSink;
import dev.fusioncancel.events.TopicSinks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The simulated Pub/Sub: an outcome topic and the trigger topic, with seeded publish failures and
 * crashes just before or just after a message is stored. Every stored message keeps the virtual
 * time and the delivery that published it.
 */
final class SimTopic implements TopicSinks {
  /** One stored message. */
  record Message(
      String topic, String data, Map<String, String> attributes, long at, int delivery) {}

  private final SimScheduler sim;
  private final Random random;
  private final List<Message> messages = new ArrayList<>();
  private final double failRate;
  private final double crashRate;
  int delivery;
  boolean healthy;

  SimTopic(SimScheduler sim, Random random, double failRate, double crashRate) {
    this.sim = sim;
    this.random = random;
    this.failRate = failRate;
    this.crashRate = crashRate;
  }

  List<Message> messages() {
    return messages;
  }

  @Override
  public OutcomeSink forTopic(String topic) {
    return (data, attributes) -> {
      if (!healthy && random.nextDouble() < crashRate) {
        sim.crash();
      }
      if (!healthy && random.nextDouble() < failRate) {
        return CompletableFuture.failedFuture(new IllegalStateException("sim publish failure"));
      }
      messages.add(new Message(topic, data, Map.copyOf(attributes), sim.nanoTime(), delivery));
      if (!healthy && random.nextDouble() < crashRate) {
        sim.crash();
      }
      return CompletableFuture.completedFuture("sim-" + messages.size());
    };
  }
}
