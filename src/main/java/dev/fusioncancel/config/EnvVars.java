package dev.fusioncancel.config;

import java.util.List;

/** The names of every environment variable fusion-cancel reads (the contract's configuration). */
public final class EnvVars {
  public static final String DATAFUSION_ENDPOINT = "DATAFUSION_ENDPOINT";
  public static final String DATAFUSION_API_VERSION = "DATAFUSION_API_VERSION";
  public static final String ALLOWED_PARENTS = "ALLOWED_PARENTS";
  public static final String OUTCOME_TOPIC = "OUTCOME_TOPIC";
  public static final String REQUESTS_PER_MINUTE = "REQUESTS_PER_MINUTE";
  public static final String MAX_WAIT = "MAX_WAIT";
  public static final String PUBSUB_EMULATOR_HOST = "PUBSUB_EMULATOR_HOST";

  /** Every variable above, in the contract's order. */
  public static final List<String> ALL =
      List.of(
          DATAFUSION_ENDPOINT,
          DATAFUSION_API_VERSION,
          ALLOWED_PARENTS,
          OUTCOME_TOPIC,
          REQUESTS_PER_MINUTE,
          MAX_WAIT,
          PUBSUB_EMULATOR_HOST);

  private EnvVars() {}
}
