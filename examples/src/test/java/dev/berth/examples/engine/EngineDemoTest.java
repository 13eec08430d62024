package dev.berth.examples.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.controller.ReconcileOutcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EngineDemoTest {

  // java.util.logging holds loggers weakly: without this reference the level would be forgotten.
  private static final Logger ENGINE_LOG = Logger.getLogger("dev.berth.core");

  @BeforeAll
  static void quietInjectedFailures() {
    // The demo fails runtime calls on purpose; the engine warns about each one.
    ENGINE_LOG.setLevel(Level.SEVERE);
  }

  @Test
  void aSmallNodeConvergesThroughEveryPartOfTheStory() {
    DemoOptions options =
        DemoOptions.parse("--keys", "300", "--workers", "4", "--resync-ms", "300", "--quick");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    DemoReport report = new DemoRun(options, out, new Stopwatch()).run();
    Summary.print(out, report, 0);

    assertThat(report.problems()).isEmpty();
    assertThat(report.converged()).isEqualTo(report.canConverge()).isEqualTo(300 - 4);
    assertThat(report.stagesUp()).containsKeys(StartupOrder.DATABASE, StartupOrder.BROKER);
    assertThat(report.changes().latencies()).hasSize(DemoRun.FRESH_CHANGES);
    assertThat(report.drift().repairedAt()).isNotNull();
    assertThat(report.fix().latency()).isNotNull();
    assertThat(report.parked()).hasSize(Scenario.INVALID_KEYS - 1);
    assertThat(report.parkedByController()).isEqualTo(Scenario.INVALID_KEYS - 1);
    // Every injected fault became a failed reconcile, and every failed reconcile a retry.
    assertThat(report.injectedFaults()).isPositive();
    assertThat(report.engine().reconciles(ReconcileOutcome.ERROR))
        .isEqualTo(report.injectedFaults())
        .isEqualTo(report.engine().retries());
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("converged", "=== summary", "result      OK");
  }

  @Test
  void optionsDefaultToTheReadmeRunAndNameTheOneAtFault() {
    DemoOptions defaults = DemoOptions.parse();
    assertThat(defaults.keys()).isEqualTo(5000);
    assertThat(defaults.resyncPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(DemoOptions.parse("--keys", "80", "--failure-rate", "0").failureRate()).isZero();

    assertThatThrownBy(() -> DemoOptions.parse("--keys", "10"))
        .hasMessageContaining("--keys")
        .hasMessageContaining("between 50");
    assertThatThrownBy(() -> DemoOptions.parse("--workers"))
        .hasMessageContaining("--workers needs a value");
    assertThatThrownBy(() -> DemoOptions.parse("--verbose"))
        .hasMessageContaining("unknown option: --verbose");
  }
}
