package dev.berth.examples.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/systemd/berth.service, as systemd reads it. */
class SystemdUnitTest {

  static final Path UNIT = Path.of("systemd", "berth.service");
  static final String LAUNCHER = "/usr/lib/berth/berth";

  @TempDir Path directory;

  static Optional<Path> systemdAnalyze() {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(entry -> !entry.isEmpty())
        .map(entry -> Path.of(entry, "systemd-analyze"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  @Test
  void systemdAnalyzeVerifiesTheUnitWithoutAWord() throws Exception {
    Optional<Path> analyze = systemdAnalyze();
    Assumptions.assumeTrue(
        analyze.isPresent(), "systemd-analyze is not installed: the unit cannot be verified here");
    String unit = Files.readString(UNIT);
    // verify checks that ExecStart's program exists: the launcher as it is in this tree.
    unit =
        unit.replace(
            "ExecStart=" + LAUNCHER + " ",
            "ExecStart=" + Path.of("..", "bin", "berth").toAbsolutePath().normalize() + " ");
    Path copy = Files.writeString(directory.resolve("berth.service"), unit);

    Process verify =
        new ProcessBuilder(analyze.get().toString(), "verify", copy.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();

    // Unknown keys and bad values are only warnings: the output must be empty too.
    assertThat(output).isEmpty();
    assertThat(verify.exitValue()).isZero();
  }

  @Test
  void stoppingTheUnitStopsTheAgentOnlyNotTheWorkloadsItStarted() throws Exception {
    assertThat(Files.readAllLines(UNIT))
        .contains(
            "ExecStart=" + LAUNCHER + " agent --config /etc/berth/berth.toml",
            "KillMode=process",
            "Restart=always",
            "RuntimeDirectory=berth",
            "StateDirectory=berth");
  }

  @Test
  void theAgentsReadinessIsItsOwnToSay() throws Exception {
    // The agent sends READY=1 (SystemdReadinessTest in runner): systemd must wait for it, and take
    // it from the main process only.
    assertThat(Files.readAllLines(UNIT)).contains("Type=notify", "NotifyAccess=main");
  }
}
