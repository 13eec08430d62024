package dev.berth.runtime.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How a VM's environment and args become its kernel's command line, and what Linux cannot carry.
 */
class KernelCommandLineTest {

  @Test
  void theEnvironmentComesFirstSoThatADoubleDashInTheArgsDoesNotSwallowIt() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PORT_WEB", "8080");
    env.put("EMPTY", "");

    assertThat(KernelCommandLine.of(env, List.of("console=ttyS0", "--", "serve")))
        .isEqualTo("PORT_WEB=8080 EMPTY= console=ttyS0 -- serve");
    assertThat(KernelCommandLine.of(Map.of(), List.of())).isEmpty();
  }

  @Test
  void aValueWithSpacesOrBeyondAsciiIsQuotedAsLinuxReadsIt() {
    assertThat(KernelCommandLine.of(Map.of("GREETING", "hello world"), List.of()))
        .isEqualTo("GREETING=\"hello world\"");
    // à is c3 a0 in UTF-8, and Linux takes a0 for a space.
    assertThat(KernelCommandLine.of(Map.of("CITY", "Genève-à"), List.of()))
        .isEqualTo("CITY=\"Genève-à\"");
  }

  @Test
  void whatLinuxCannotCarryIsAnInvalidSpec() {
    assertInvalid(Map.of("QUOTE", "say \"hi\""), List.of(), "env QUOTE: ");
    assertInvalid(Map.of("LINES", "a\nb"), List.of(), "env LINES: ");

    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i <= KernelCommandLine.MAX_ENV; i++) {
      many.put("V" + i, "1");
    }
    assertInvalid(many, List.of(), "at most 30 environment variables, were 31");

    String half = "x".repeat(1020);
    assertThat(KernelCommandLine.of(Map.of("A", half), List.of("bbb=" + half))).hasSize(2047);
    assertInvalid(
        Map.of("A", half),
        List.of("bbbb=" + half),
        "is 2048 bytes, more than the 2047 Linux accepts");
  }

  private static void assertInvalid(Map<String, String> env, List<String> args, String message) {
    assertThatThrownBy(() -> KernelCommandLine.of(env, args))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.INVALID_SPEC);
              assertThat(e.getMessage()).contains(message);
            });
  }
}
