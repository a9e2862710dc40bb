package dev.fusioncancel.events;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PubSubPublishersTest {
  @Test
  void prepare_whenThePublisherCannotBeBuilt_doesNotThrow_butAPublishStillFails() throws Exception {
    try (PubSubPublishers publishers = new PubSubPublishers(Optional.of("127.0.0.1:1"))) {
      OutcomeSink sink = publishers.forTopic("not-a-topic-name");
      assertDoesNotThrow(sink::prepare);
      assertThrows(RuntimeException.class, () -> sink.publish("{}", Map.of()));
    }
  }
}
