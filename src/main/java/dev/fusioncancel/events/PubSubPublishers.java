package dev.fusioncancel.events;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.api.gax.batching.BatchingSettings;
import com.google.api.gax.batching.FlowControlSettings;
import com.google.api.gax.batching.FlowController;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import dev.fusioncancel.log.CloudLog;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Pub/Sub publishers of one function instance: one {@link Publisher} per topic, created on
 * first use and reused by every invocation (a publisher owns channels and threads; making one per
 * invocation would be slow and leak). Honours {@code PUBSUB_EMULATOR_HOST} with a plaintext channel
 * and no credentials.
 */
public final class PubSubPublishers implements TopicSinks, AutoCloseable {
  /**
   * Batches suited to thousands of small events: up to 100 messages or 10 ms per request. Flow
   * control never blocks a caller: past its bounds a publish fails at once (and the delivery is
   * retried), so no publish can wait without bound inside the function's deadline.
   */
  static final BatchingSettings BATCHING =
      BatchingSettings.newBuilder()
          .setElementCountThreshold(100L)
          .setRequestByteThreshold(1_000_000L)
          .setDelayThresholdDuration(Duration.ofMillis(10))
          .setFlowControlSettings(
              FlowControlSettings.newBuilder()
                  .setMaxOutstandingElementCount(20_000L)
                  .setMaxOutstandingRequestBytes(64L * 1024 * 1024)
                  .setLimitExceededBehavior(FlowController.LimitExceededBehavior.ThrowException)
                  .build())
          .build();

  private final Optional<String> emulatorHost;
  private final Map<String, Publisher> publishers = new ConcurrentHashMap<>();
  private final Map<String, PubSubOutcomeSink> sinks = new ConcurrentHashMap<>();
  private volatile ManagedChannel emulatorChannel;

  /** Publishers for Pub/Sub itself, or the emulator at {@code host:port} when given. */
  public PubSubPublishers(Optional<String> emulatorHost) {
    this.emulatorHost = emulatorHost.filter(h -> !h.isBlank());
  }

  @Override
  public OutcomeSink forTopic(String topic) {
    return sinks.computeIfAbsent(topic, t -> new PubSubOutcomeSink(t, this));
  }

  /** Publishes one message to the topic's publisher. */
  CompletableFuture<String> publish(String topic, String data, Map<String, String> attributes) {
    Publisher publisher = publishers.computeIfAbsent(topic, this::create);
    PubsubMessage message =
        PubsubMessage.newBuilder()
            .setData(ByteString.copyFrom(data, StandardCharsets.UTF_8))
            .putAllAttributes(attributes)
            .build();
    CompletableFuture<String> result = new CompletableFuture<>();
    ApiFuture<String> f;
    try {
      f = publisher.publish(message);
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return result;
    }
    ApiFutures.addCallback(
        f,
        new ApiFutureCallback<>() {
          @Override
          public void onFailure(Throwable t) {
            result.completeExceptionally(t);
          }

          @Override
          public void onSuccess(String messageId) {
            result.complete(messageId);
          }
        },
        MoreExecutors.directExecutor());
    return result;
  }

  /**
   * Builds the topic's publisher now if it does not exist yet (it is reused afterwards). Best
   * effort: a run that never publishes to the topic (a follow-up topic when no follow-up is needed)
   * must not fail because its publisher could not be built; a publish that is needed builds it
   * again and fails the delivery there.
   */
  void prepare(String topic) {
    try {
      publishers.computeIfAbsent(topic, this::create);
    } catch (RuntimeException e) {
      CloudLog.warning(
          "publisher for " + topic + " not ready yet: " + e.getMessage(), Map.of("topic", topic));
    }
  }

  /** Sends the topic's pending batch now. */
  void flush(String topic) {
    Publisher p = publishers.get(topic);
    if (p != null) {
      p.publishAllOutstanding();
    }
  }

  private Publisher create(String topic) {
    try {
      Publisher.Builder b =
          Publisher.newBuilder(TopicName.parse(topic)).setBatchingSettings(BATCHING);
      if (emulatorHost.isPresent()) {
        b.setChannelProvider(
                FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel())))
            .setCredentialsProvider(NoCredentialsProvider.create());
      }
      return b.build();
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a publisher for " + topic, e);
    }
  }

  private synchronized ManagedChannel channel() {
    if (emulatorChannel == null) {
      emulatorChannel = ManagedChannelBuilder.forTarget(emulatorHost.get()).usePlaintext().build();
    }
    return emulatorChannel;
  }

  /** Sends what is pending and releases every publisher. */
  @Override
  public void close() throws InterruptedException {
    for (Publisher p : publishers.values()) {
      p.shutdown();
    }
    for (Publisher p : publishers.values()) {
      p.awaitTermination(30, TimeUnit.SECONDS);
    }
    publishers.clear();
    if (emulatorChannel != null) {
      emulatorChannel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
