package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code berth version} alone skips the parser, and prints what the parsed command prints. */
class VersionAloneTest {

  @ParameterizedTest
  @ValueSource(strings = {"version", "--version", "-V"})
  void aloneItPrintsWhatTheCommandPrints(String arg) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    boolean printed =
        VersionCommand.printAlone(
            new String[] {arg}, new PrintStream(bytes, true, StandardCharsets.UTF_8));

    assertThat(printed).isTrue();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(Cli.plain().run("version").out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"version --help", "version extra", "status", "help version"})
  void anythingMoreGoesThroughTheParser(String line) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    boolean printed =
        VersionCommand.printAlone(
            line.split(" "), new PrintStream(bytes, true, StandardCharsets.UTF_8));

    assertThat(printed).isFalse();
    assertThat(bytes.size()).isZero();
  }
}
