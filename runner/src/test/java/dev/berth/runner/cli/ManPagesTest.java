package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The man pages and completion script the build writes, as the packages ship them. */
class ManPagesTest {

  @TempDir Path dir;

  @Test
  void everyCommandHasAPageThatGroffRendersWithoutWarnings() throws Exception {
    ManPages.main(
        new String[] {dir.resolve("man1").toString(), "1.2.3", dir.resolve("berth").toString()});

    List<String> expected =
        HelpExamplesTest.commands().map(name -> name.replace(' ', '-') + ".1").sorted().toList();
    try (var pages = Files.list(dir.resolve("man1"))) {
      assertThat(pages.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(expected);
    }
    for (String page : expected) {
      Process groff =
          new ProcessBuilder(
                  "groff", "-man", "-Tutf8", "-ww", "-z", dir.resolve("man1/" + page).toString())
              .redirectErrorStream(true)
              .start();
      String warnings = new String(groff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(groff.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(warnings).as(page).isEmpty();
      assertThat(groff.exitValue()).isZero();
    }
  }

  @Test
  void aPageIsItsCommandsHelpUnderTheManSections() throws Exception {
    ManPages.main(
        new String[] {dir.resolve("man1").toString(), "1.2.3", dir.resolve("berth").toString()});

    String page = Files.readString(dir.resolve("man1/berth-config-use-context.1"));
    assertThat(page)
        .startsWith(
            ".TH \"BERTH\\-CONFIG\\-USE\\-CONTEXT\" 1 \"\" \"berth 1.2.3\" \"Berth Manual\"\n"
                + ".SH NAME\n"
                + "berth\\-config\\-use\\-context \\- Make a context the current one.\n")
        .contains("\n  berth config use\\-context rift\n")
        .endsWith(".SH SEE ALSO\nberth(1)\n");
  }

  @Test
  void theCompletionScriptIsTheOneBerthCompletionPrints() throws Exception {
    ManPages.main(
        new String[] {dir.resolve("man1").toString(), "1.2.3", dir.resolve("berth").toString()});

    assertThat(Files.readString(dir.resolve("berth")))
        .isEqualTo(Cli.plain().run("completion", "bash").out());
  }

  @Test
  void aLineThatStartsWithADotIsText() {
    assertThat(ManPages.escape(".config and C:\\dir")).isEqualTo("\\&.config and C:\\edir");
  }
}
