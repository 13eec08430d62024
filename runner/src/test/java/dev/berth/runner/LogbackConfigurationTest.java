package dev.berth.runner;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The agent's logback.xml, configured into a context of its own, writing to a captured stderr. */
class LogbackConfigurationTest {

  private final PrintStream originalErr = System.err;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final LoggerContext context = new LoggerContext();

  @AfterEach
  void restore() {
    context.stop();
    System.setErr(originalErr);
    System.clearProperty("berth.log.level");
  }

  private String output() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private void configure() throws JoranException {
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    URL configuration =
        Objects.requireNonNull(getClass().getResource("/logback.xml"), "main logback.xml");
    // What logback's own initialisation gives the default context.
    context.setMDCAdapter(new LogbackMDCAdapter());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(configuration);
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .noneMatch(status -> status.getLevel() >= Status.WARN);
  }

  @Test
  void writesTimestampLevelLoggerMessageAndKeyValuesOnOneLine() throws JoranException {
    configure();
    Logger log = context.getLogger("dev.berth.example");

    log.atInfo()
        .setMessage("started")
        .addKeyValue("service", "web")
        .addKeyValue("port", 8080)
        .log();

    assertThat(output())
        .matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)"
                + " INFO  dev.berth.example - started service=\"web\" port=\"8080\"\\R");
  }

  @Test
  void endsAMessageWithoutKeyValuesAtTheMessage() throws JoranException {
    configure();

    context.getLogger("dev.berth.example").info("plain");

    assertThat(output()).endsWith(" INFO  dev.berth.example - plain" + System.lineSeparator());
  }

  @Test
  void keepsAStackTraceOnTheEventsLine() throws JoranException {
    configure();

    context
        .getLogger("dev.berth.example")
        .warn(
            "failed\nacross lines",
            new IllegalStateException("boom", new RuntimeException("root")));

    String output = output();
    assertThat(output.lines()).hasSize(1);
    assertThat(output)
        .contains(
            " WARN  dev.berth.example - failed | across lines java.lang.IllegalStateException: boom | at ")
        .contains(" | Caused by: java.lang.RuntimeException: root")
        .endsWith(System.lineSeparator())
        .doesNotEndWith(" " + System.lineSeparator());
  }

  @Test
  void logsAtInfoByDefault() throws JoranException {
    configure();
    Logger log = context.getLogger("dev.berth.example");

    log.debug("hidden");
    log.info("shown");

    assertThat(output()).doesNotContain("hidden").contains("shown");
  }

  @Test
  void takesTheLevelFromTheBerthLogLevelProperty() throws JoranException {
    System.setProperty("berth.log.level", "DEBUG");
    configure();

    context.getLogger("dev.berth.example").debug("now shown");

    assertThat(output()).contains("DEBUG dev.berth.example - now shown");
  }

  @Test
  void quietsLibrariesInfoLines() throws JoranException {
    configure();

    context.getLogger("org.flywaydb.core.Flyway").info("Migrating schema");
    context.getLogger("io.grpc.netty.shaded.io.netty.util.internal.PlatformDependent").info("x");
    context.getLogger("org.flywaydb.core.Flyway").warn("outdated database");

    assertThat(output()).doesNotContain("Migrating").doesNotContain(" - x").contains("outdated");
  }
}
