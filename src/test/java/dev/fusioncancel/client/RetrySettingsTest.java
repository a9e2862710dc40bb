package dev.fusioncancel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetrySettingsTest {
  @Test
  void defaults_areTheDocumentedOnes() {
    RetrySettings d = RetrySettings.DEFAULT;

    assertEquals(Duration.ofMillis(200), d.initialRetryDelay());
    assertEquals(2.0, d.retryDelayMultiplier());
    assertEquals(Duration.ofSeconds(10), d.maxRetryDelay());
    assertEquals(Duration.ofSeconds(60), d.totalTimeout());
    assertEquals(6, d.maxAttempts());
    assertEquals(Duration.ofSeconds(60), d.maxRetryAfter());
    assertEquals(1, d.maxInternalRetries());
    assertEquals(Duration.ofSeconds(10), d.connectTimeout());
    assertEquals(Duration.ofSeconds(30), d.perCallTimeout());
  }

  @Test
  void toBuilder_roundTripsAndChangesOnlyWhatIsSet() {
    RetrySettings changed = RetrySettings.DEFAULT.toBuilder().setMaxAttempts(2).build();

    assertEquals(2, changed.maxAttempts());
    assertEquals(RetrySettings.DEFAULT, changed.toBuilder().setMaxAttempts(6).build());
  }

  @Test
  void build_refusesNonsense() {
    assertThrows(
        IllegalArgumentException.class, () -> RetrySettings.newBuilder().setMaxAttempts(0).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> RetrySettings.newBuilder().setRetryDelayMultiplier(0.5).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> RetrySettings.newBuilder().setRetryDelayMultiplier(Double.NaN).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> RetrySettings.newBuilder().setTotalTimeout(Duration.ZERO).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> RetrySettings.newBuilder().setInitialRetryDelay(Duration.ofMillis(-1)).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> RetrySettings.newBuilder().setPerCallTimeout(null).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> RetrySettings.newBuilder().setMaxInternalRetries(-1).build());
  }

  @Test
  void build_refusesEachNegativeOrZeroDuration_namingIt() {
    Duration negative = Duration.ofMillis(-1);
    RetrySettings.Builder b = RetrySettings.newBuilder();
    assertRefused("initialRetryDelay", () -> b.setInitialRetryDelay(negative).build());
    assertRefused(
        "maxRetryDelay", () -> RetrySettings.newBuilder().setMaxRetryDelay(negative).build());
    assertRefused(
        "maxRetryAfter", () -> RetrySettings.newBuilder().setMaxRetryAfter(negative).build());
    assertRefused(
        "totalTimeout", () -> RetrySettings.newBuilder().setTotalTimeout(Duration.ZERO).build());
    assertRefused(
        "connectTimeout",
        () -> RetrySettings.newBuilder().setConnectTimeout(Duration.ZERO).build());
    assertRefused(
        "perCallTimeout",
        () -> RetrySettings.newBuilder().setPerCallTimeout(Duration.ZERO).build());
    assertRefused(
        "maxInternalRetries", () -> RetrySettings.newBuilder().setMaxInternalRetries(-1).build());
  }

  @Test
  void build_acceptsTheSmallestValidValues() {
    RetrySettings s =
        RetrySettings.newBuilder()
            .setInitialRetryDelay(Duration.ZERO)
            .setMaxRetryDelay(Duration.ZERO)
            .setMaxRetryAfter(Duration.ZERO)
            .setRetryDelayMultiplier(1.0)
            .setMaxAttempts(1)
            .setMaxInternalRetries(0)
            .build();
    assertEquals(1.0, s.retryDelayMultiplier());
    assertEquals(1, s.maxAttempts());
    assertEquals(0, s.maxInternalRetries());
  }

  private static void assertRefused(String field, org.junit.jupiter.api.function.Executable build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(field), e.getMessage());
  }
}
