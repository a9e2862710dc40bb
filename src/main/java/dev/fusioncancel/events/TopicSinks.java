package dev.fusioncancel.events;

/** Gives a sink for any topic (follow-up messages go to the topic that triggered the run). */
@FunctionalInterface
public interface TopicSinks {
  /** The sink of {@code projects/P/topics/T}. */
  OutcomeSink forTopic(String topic);
}
