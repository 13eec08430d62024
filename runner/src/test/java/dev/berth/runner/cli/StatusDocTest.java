package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.status.ActionFailure;
import dev.berth.spec.status.ComponentPhase;
import dev.berth.spec.status.ComponentState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/cli.md stays true about states: its table of runtime failures is the agent's, word for word,
 * terminal or not (what the agent's runtime failures look like end to end is in {@code
 * AgentEndToEndTest}).
 */
class StatusDocTest {

  static final Path DOC = Path.of("..", "docs", "cli.md");

  /** {@code | `ImageMissing` | ... | yes |}: a row of the table of runtime failures. */
  static final Pattern FAILURE_ROW =
      Pattern.compile("^\\| `([A-Za-z]+)` \\| [^|]+ \\| (yes|no) \\|$", Pattern.MULTILINE);

  @Test
  void theTableOfRuntimeFailuresListsEveryWordTheAgentGivesAndWhetherItIsTerminal()
      throws Exception {
    Map<String, Boolean> documented = new LinkedHashMap<>();
    Matcher row = FAILURE_ROW.matcher(Files.readString(DOC));
    while (row.find()) {
      documented.put(row.group(1), row.group(2).equals("yes"));
    }

    Map<String, Boolean> given =
        Arrays.stream(ActionFailure.values())
            .collect(
                Collectors.toMap(
                    ActionFailure::wire, ActionFailure::terminal, (a, b) -> a, LinkedHashMap::new));

    assertThat(documented).isEqualTo(given);
  }

  @Test
  void theTableOfStatesListsEveryPhaseTheAgentGives() throws Exception {
    String doc = Files.readString(DOC);
    String table =
        doc.substring(doc.indexOf("The states:"), doc.indexOf("and the runtime failures"));
    Set<String> documented = new TreeSet<>();
    Matcher row = Pattern.compile("^\\| ([^|]+) \\|", Pattern.MULTILINE).matcher(table);
    while (row.find()) {
      Matcher word = Pattern.compile("`([A-Za-z]+)`").matcher(row.group(1));
      while (word.find()) {
        documented.add(word.group(1));
      }
    }

    Set<String> given = new TreeSet<>();
    Arrays.stream(ComponentPhase.values()).map(ComponentState::wire).forEach(given::add);

    assertThat(documented).isEqualTo(given);
  }
}
