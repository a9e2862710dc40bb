package dev.fusioncancel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fusioncancel.name.LocationName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTest {
  @Test
  void from_emptyEnvironment_givesContractDefaults() {
    Config c = Config.from(Map.of());
    assertEquals("https://datafusion.googleapis.com", c.endpoint().toString());
    assertEquals("v1", c.apiVersion());
    assertTrue(c.allowedParents().isEmpty());
    assertEquals(Optional.empty(), c.outcomeTopic());
    assertEquals(540, c.requestsPerMinute());
    assertEquals(Duration.ofSeconds(60), c.maxWait());
    assertFalse(c.plainHttp());
  }

  @Test
  void from_fullEnvironment_readsEveryVariable() {
    Config c =
        Config.from(
            Map.of(
                "DATAFUSION_ENDPOINT", "http://127.0.0.1:8090/",
                "DATAFUSION_API_VERSION", "v1beta1",
                "ALLOWED_PARENTS", "projects/my-project/locations/*, projects/*/locations/eu-west1",
                "OUTCOME_TOPIC", "projects/my-project/topics/outcomes",
                "REQUESTS_PER_MINUTE", "100",
                "MAX_WAIT", "2m",
                "PUBSUB_EMULATOR_HOST", "127.0.0.1:8085"));
    assertEquals("http://127.0.0.1:8090", c.endpoint().toString());
    assertTrue(c.plainHttp());
    assertEquals("v1beta1", c.apiVersion());
    assertTrue(c.allows(LocationName.parse("projects/my-project/locations/us-east1")));
    assertTrue(c.allows(LocationName.parse("projects/other-proj/locations/eu-west1")));
    assertFalse(c.allows(LocationName.parse("projects/other-proj/locations/us-east1")));
    assertEquals(Optional.of("projects/my-project/topics/outcomes"), c.outcomeTopic());
    assertEquals(100, c.requestsPerMinute());
    assertEquals(Duration.ofMinutes(2), c.capWait(Duration.ofHours(1)));
    assertEquals(Duration.ofSeconds(5), c.capWait(Duration.ofSeconds(5)));
    assertEquals(Optional.of("127.0.0.1:8085"), c.pubsubEmulatorHost());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "DATAFUSION_ENDPOINT|http://datafusion.googleapis.com",
        "DATAFUSION_ENDPOINT|http://10.0.0.1:8080",
        "DATAFUSION_ENDPOINT|ftp://127.0.0.1",
        "DATAFUSION_ENDPOINT|https://datafusion.googleapis.com/v1",
        "DATAFUSION_ENDPOINT|https://user@datafusion.googleapis.com",
        "DATAFUSION_ENDPOINT|https://datafusion.googleapis.com?x=1",
        "DATAFUSION_ENDPOINT|not a url",
        "DATAFUSION_API_VERSION|v2",
        "ALLOWED_PARENTS|projects/p/locations",
        "ALLOWED_PARENTS|projects/my-project/locations/us-*",
        "OUTCOME_TOPIC|outcomes",
        "OUTCOME_TOPIC|projects/my-project/subscriptions/abc",
        "REQUESTS_PER_MINUTE|0",
        "REQUESTS_PER_MINUTE|-5",
        "REQUESTS_PER_MINUTE|fast",
        "MAX_WAIT|forever",
        "MAX_WAIT|2h"
      })
  void from_badValue_failsNamingTheVariable(String variable, String value) {
    ConfigException e =
        assertThrows(ConfigException.class, () -> Config.from(Map.of(variable, value)));
    assertEquals(variable, e.variable());
    assertTrue(e.getMessage().startsWith(variable + ": "), e.getMessage());
  }

  @Test
  void from_bulkDeadline_unsetIs540s_elseTheGivenDuration() {
    assertEquals(Duration.ofSeconds(540), Config.from(Map.of()).bulkDeadline());
    assertEquals(
        Duration.ofMinutes(2),
        Config.from(Map.of("fusioncancel.bulk.deadline", "PT2M")).bulkDeadline());
    assertEquals(
        Duration.ofSeconds(20),
        Config.from(Map.of("fusioncancel.bulk.deadline", " 20s ")).bulkDeadline());
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"9s", "541s", "1h", "soon", "-5s", "0s"})
  void from_badBulkDeadline_failsNamingTheProperty(String value) {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> Config.from(Map.of("fusioncancel.bulk.deadline", value)));
    assertEquals("fusioncancel.bulk.deadline", e.variable());
  }

  @Test
  void processEnvironment_carriesTheBulkDeadlineProperty() {
    String before = System.getProperty(Config.BULK_DEADLINE);
    System.setProperty(Config.BULK_DEADLINE, "123s");
    try {
      assertEquals("123s", Config.processEnvironment().get(Config.BULK_DEADLINE));
      assertEquals(Duration.ofSeconds(123), Config.fromEnvironment().bulkDeadline());
    } finally {
      if (before == null) {
        System.clearProperty(Config.BULK_DEADLINE);
      } else {
        System.setProperty(Config.BULK_DEADLINE, before);
      }
    }
  }

  @Test
  void from_googleCloudProject_isTheRuntimeProject() {
    assertEquals(
        Optional.of("my-project"),
        Config.from(Map.of("GOOGLE_CLOUD_PROJECT", "my-project")).runtimeProject());
    assertEquals(Optional.empty(), Config.from(Map.of()).runtimeProject());
  }

  @Test
  void envVars_listsEveryContractVariable() {
    assertEquals(7, EnvVars.ALL.size());
    assertTrue(EnvVars.ALL.contains("MAX_WAIT"));
  }
}
