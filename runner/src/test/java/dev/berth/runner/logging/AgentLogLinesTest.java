package dev.berth.runner.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The agent's logback configurations (not the tests' own), one for each format. */
class AgentLogLinesTest {

  /** One event of each level, through {@code format}'s configuration. */
  static List<String> linesOf(LogFormat format) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    // The console appender takes System.err when it starts, at configuration.
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      context.putProperty("berth.log.level", "TRACE");
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(AgentLogLinesTest.class.getResource("/" + format.configuration()));
      Logger log = context.getLogger("dev.berth.example");
      log.error("failed\nacross lines", new IllegalStateException("boom"));
      log.atWarn().addKeyValue("service", "shop").log("slow");
      log.info("started");
      log.debug("detail");
      log.trace("finer");
    } finally {
      context.stop();
      System.setErr(stderr);
    }
    String written = captured.toString(StandardCharsets.UTF_8);
    // Nothing to say about the configuration: logback would print it all beside the agent's log.
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .noneMatch(status -> status.getLevel() != Status.INFO);
    return List.of(written.split("\n"));
  }

  @Test
  void journalLinesCarryTheirPriorityAndNoTimestamp() throws Exception {
    List<String> lines = linesOf(LogFormat.JOURNAL);
    assertThat(lines.get(0))
        .startsWith(
            "<3>ERROR dev.berth.example - failed | across lines"
                + " java.lang.IllegalStateException: boom | at ");
    assertThat(lines.subList(1, lines.size()))
        .containsExactly(
            "<4>WARN  dev.berth.example - slow service=\"shop\"",
            "<6>INFO  dev.berth.example - started",
            "<7>DEBUG dev.berth.example - detail",
            "<7>TRACE dev.berth.example - finer");
  }

  @Test
  void textLinesStartWithTheirTimestamp() throws Exception {
    assertThat(linesOf(LogFormat.TEXT))
        .hasSize(5)
        .allMatch(
            line -> line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}.* - .*"));
  }

  @Test
  void jsonLinesAreOneObjectEachWithLevelMessageAndKeyValues() throws Exception {
    List<String> lines = linesOf(LogFormat.JSON);
    assertThat(lines).hasSize(5);
    ObjectMapper json = new ObjectMapper();
    JsonNode warning = json.readTree(lines.get(1));
    assertThat(warning.path("level").asText()).isEqualTo("WARN");
    assertThat(warning.path("message").asText()).isEqualTo("slow");
    assertThat(warning.path("formattedMessage").asText()).isEqualTo("slow");
    assertThat(warning.path("kvpList").toString()).contains("\"service\":\"shop\"");
    for (String line : lines) {
      assertThat(json.readTree(line).path("loggerName").asText()).isEqualTo("dev.berth.example");
    }
  }
}
