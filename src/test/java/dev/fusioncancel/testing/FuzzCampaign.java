package dev.fusioncancel.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs one {@code @FuzzTest} method on the JUnit platform, in its own JVM, for {@code .ci/fuzz}:
 * Jazzer fuzzes one target per process, and starting a bare JVM is much cheaper than Maven.
 * Arguments: {@code fully.qualified.Class#method}. Each input may take at most {@code
 * -Dfuzz.inputTimeout} (default 10 s) before it counts as a finding. Exit code 0 when the target
 * passed, 1 on a finding (or when nothing ran).
 */
public final class FuzzCampaign {
  private FuzzCampaign() {}

  /** Runs the target named by {@code args[0]}. */
  public static void main(String[] args) throws ClassNotFoundException {
    if (args.length != 1 || !args[0].contains("#")) {
      System.err.println("usage: FuzzCampaign fully.qualified.Class#method");
      System.exit(2);
    }
    String[] target = args[0].split("#", 2);
    Class<?> type = Class.forName(target[0]);
    java.lang.reflect.Method method =
        java.util.Arrays.stream(type.getDeclaredMethods())
            .filter(m -> m.getName().equals(target[1]))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no method " + args[0]));
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectMethod(type, method))
            // Jazzer turns the default timeout into libFuzzer's per-input -timeout; JUnit itself
            // must not apply it to the whole campaign, which is one long invocation.
            .configurationParameter(
                "junit.jupiter.execution.timeout.default",
                System.getProperty("fuzz.inputTimeout", "10 s"))
            .configurationParameter("junit.jupiter.execution.timeout.mode", "disabled")
            .build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(request, listener);
    TestExecutionSummary summary = listener.getSummary();
    summary.printFailuresTo(new java.io.PrintWriter(System.err, true), 40);
    System.err.printf(
        "fuzz: %s: %d run, %d failed%n",
        args[0],
        summary.getTestsSucceededCount() + summary.getTestsFailedCount(),
        summary.getTotalFailureCount());
    boolean ok = summary.getTotalFailureCount() == 0 && summary.getTestsSucceededCount() > 0;
    System.exit(ok ? 0 : 1);
  }
}
