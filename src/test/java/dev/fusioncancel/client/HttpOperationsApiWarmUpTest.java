package dev.fusioncancel.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.config.Config;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpOperationsApiWarmUpTest {
  @Test
  void warmUp_exchangesOneRequestWithALoopbackResponder_withoutTouchingTheEndpoint() {
    // The endpoint is a closed port: the warm-up must not depend on (or reach) it.
    HttpOperationsApi api =
        HttpOperationsApi.fromConfig(
            Config.from(Map.of("DATAFUSION_ENDPOINT", "http://127.0.0.1:9")),
            RetrySettings.DEFAULT);
    assertTrue(api.warmUp());
  }
}
