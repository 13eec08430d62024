package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.AgentProto;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/cli.md's table of what {@code -o wide} adds names, per command and in order, the columns the
 * command's wide table has beyond its usual ones.
 */
class OutputDocTest extends FakeAgentTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"status", "routes", "history"})
  void theDocumentedWideColumnsAreTheOnesTheCommandAdds(String command) throws Exception {
    agent.list =
        AgentProto.ListServicesResponse.newBuilder()
            .addServices(Services.running("web", 1, "app"))
            .build();
    agent.routes =
        AgentProto.ListRoutesResponse.newBuilder()
            .addRoutes(AgentProto.Route.newBuilder().setService("web").setComponent("app"))
            .build();
    agent.history =
        AgentProto.HistoryResponse.newBuilder()
            .setService("web")
            .addEntries(AgentProto.HistoryEntry.newBuilder().setGeneration(1))
            .build();
    String[] args =
        command.equals("history") ? new String[] {command, "web"} : new String[] {command};

    List<String> usual = columns(cli.run(args).outLines().get(0));
    List<String> wide = columns(cli.run(append(args, "-o", "wide")).outLines().get(0));

    assertThat(wide.subList(0, usual.size())).isEqualTo(usual);
    assertThat(documented(command)).isEqualTo(wide.subList(usual.size(), wide.size()));
  }

  /** The column names of a header line: words of capitals, two of them for HEALTHY SINCE. */
  private static List<String> columns(String header) {
    return Arrays.asList(header.trim().split(" {2,}"));
  }

  /** The capitalised names in the command's row of the wide table of docs/cli.md. */
  private static List<String> documented(String command) throws Exception {
    String doc = Files.readString(StatusDocTest.DOC);
    String table = doc.substring(doc.indexOf("`-o wide` adds"));
    Matcher row =
        Pattern.compile("^\\| `" + command + "` \\| (.+) \\|$", Pattern.MULTILINE).matcher(table);
    assertThat(row.find()).as("a row for " + command).isTrue();
    // A column is its capitals, before its explanation in parentheses.
    String withoutExplanations = row.group(1).replaceAll("\\([^)]*\\)", "");
    List<String> names = new ArrayList<>();
    for (String part : withoutExplanations.split(",")) {
      names.add(part.trim());
    }
    return names;
  }

  private static String[] append(String[] args, String... more) {
    String[] all = Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }
}
