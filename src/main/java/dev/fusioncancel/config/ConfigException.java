package dev.fusioncancel.config;

/** Bad configuration; the message names the variable, and the function refuses to start. */
public final class ConfigException extends RuntimeException {
  private final String variable;

  public ConfigException(String variable, String message) {
    super(variable + ": " + message);
    this.variable = variable;
  }

  /** The environment variable at fault. */
  public String variable() {
    return variable;
  }
}
