package dev.fusioncancel.client;

import dev.fusioncancel.budget.Budget;
import dev.fusioncancel.budget.Budgets;
import dev.fusioncancel.name.LocationName;
import dev.fusioncancel.time.FakeTime;
import java.util.function.Function;

/** Builds the production retry and budget layer over a test transport, on fake time. */
public final class TestClients {
  /** No deadline: for calls in tests that are not about time. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private TestClients() {}

  /** {@link RetrySettings#DEFAULT}, no budget limit, jitter 0.5. */
  public static OperationsApi retrying(OperationsTransport transport, FakeTime time) {
    return retrying(transport, RetrySettings.DEFAULT, Budgets.unlimited(), time);
  }

  /** The given settings and budgets, jitter 0.5. */
  public static OperationsApi retrying(
      OperationsTransport transport,
      RetrySettings settings,
      Function<LocationName, Budget> budgets,
      FakeTime time) {
    return new RetryingOperationsApi(transport, settings, budgets, time, time, () -> 0.5);
  }
}
