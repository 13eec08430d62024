package dev.berth.runner.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RefusalLogTest {

  private static final long WINDOW = 1_000;

  private final Logger log = (Logger) LoggerFactory.getLogger("refusal-log-test");
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final AtomicLong now = new AtomicLong();
  private final RefusalLog refusals = new RefusalLog(log, WINDOW, now::get);

  @BeforeEach
  void captureLog() {
    // Whatever the test configuration says: INFO is the level under test.
    log.setLevel(Level.INFO);
    logged.start();
    log.addAppender(logged);
  }

  @AfterEach
  void detach() {
    log.detachAppender(logged);
    log.setLevel(null);
  }

  @Test
  void logsTheFirstRefusalOfACallerAtInfo() {
    refusals.refused("no bearer token", "127.0.0.1", "grpc.health.v1.Health/Check");

    assertThat(logged.list)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getLevel()).isEqualTo(Level.INFO);
              assertThat(event.getFormattedMessage()).isEqualTo("refused a call: no bearer token");
              assertThat(event.getKeyValuePairs())
                  .extracting(pair -> pair.key + "=" + pair.value)
                  .containsExactly(
                      "caller=127.0.0.1", "method=grpc.health.v1.Health/Check", "suppressed=0");
            });
  }

  @Test
  void logsARepeatedRefusalOnceAWindow() {
    for (int i = 0; i < 5; i++) {
      refusals.refused("no bearer token", "127.0.0.1", "m");
    }

    assertThat(logged.list).hasSize(1);
  }

  @Test
  void countsTheRefusalsItLeftOutWhenTheWindowEnds() {
    for (int i = 0; i < 5; i++) {
      refusals.refused("no bearer token", "127.0.0.1", "m");
    }
    now.addAndGet(WINDOW);
    refusals.refused("no bearer token", "127.0.0.1", "m");

    assertThat(logged.list).hasSize(2);
    assertThat(logged.list.get(1).getKeyValuePairs())
        .filteredOn(pair -> pair.key.equals("suppressed"))
        .extracting(pair -> pair.value)
        .containsExactly(4L);
  }

  @Test
  void logsOtherCallersAndReasonsSeparately() {
    refusals.refused("no bearer token", "127.0.0.1", "m");
    refusals.refused("no bearer token", "127.0.0.2", "m");
    refusals.refused("wrong bearer token", "127.0.0.1", "m");

    assertThat(logged.list).hasSize(3);
  }
}
