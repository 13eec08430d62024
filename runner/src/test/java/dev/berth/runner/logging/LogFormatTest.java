package dev.berth.runner.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFormatTest {

  @TempDir Path directory;

  /** JOURNAL_STREAM as systemd sets it for {@code file}: its device and inode. */
  static String journalStreamOf(Path file) throws Exception {
    return Files.getAttribute(file, "unix:dev") + ":" + Files.getAttribute(file, "unix:ino");
  }

  @Test
  void stderrThatIsTheJournalsStreamGetsJournalLines() throws Exception {
    Path stderr = Files.createFile(directory.resolve("stderr"));
    assertThat(LogFormat.of(Map.of("JOURNAL_STREAM", journalStreamOf(stderr)), stderr))
        .isEqualTo(LogFormat.JOURNAL);
  }

  @Test
  void anInheritedJournalStreamOfAnotherFileIsNotTheJournal() throws Exception {
    Path stderr = Files.createFile(directory.resolve("stderr"));
    Path other = Files.createFile(directory.resolve("other"));
    assertThat(LogFormat.of(Map.of("JOURNAL_STREAM", journalStreamOf(other)), stderr))
        .isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.of(Map.of("JOURNAL_STREAM", "not-a-stream"), stderr))
        .isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.of(Map.of(), stderr)).isEqualTo(LogFormat.TEXT);
  }

  @Test
  void theVariableChoosesOverTheJournal() throws Exception {
    Path stderr = Files.createFile(directory.resolve("stderr"));
    String journal = journalStreamOf(stderr);
    assertThat(LogFormat.of(Map.of("JOURNAL_STREAM", journal, "BERTH_LOG_FORMAT", "json"), stderr))
        .isEqualTo(LogFormat.JSON);
    assertThat(LogFormat.of(Map.of("JOURNAL_STREAM", journal, "BERTH_LOG_FORMAT", "TEXT"), stderr))
        .isEqualTo(LogFormat.TEXT);
  }

  @Test
  void anUnknownFormatIsRefusedNamingTheVariableAndItsValues() {
    assertThatThrownBy(() -> LogFormat.asked("xml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("BERTH_LOG_FORMAT: must be text or json, was \"xml\"");
    assertThat(LogFormat.asked(" ")).isEmpty();
  }
}
