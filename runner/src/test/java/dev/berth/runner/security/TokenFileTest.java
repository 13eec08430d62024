package dev.berth.runner.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

  @TempDir Path directory;

  @Test
  void readsTheFirstLineWithoutSurroundingWhitespace() throws IOException {
    Path file = Files.writeString(directory.resolve("token"), "  abc123  \nignored\n");

    assertThat(TokenFile.read(file)).isEqualTo("abc123");
  }

  @Test
  void refusesAnEmptyFile() throws IOException {
    Path file = Files.writeString(directory.resolve("token"), "\n");

    assertThatThrownBy(() -> TokenFile.read(file))
        .isInstanceOf(IOException.class)
        .hasMessage("token file " + file + ": is empty");
  }

  @Test
  void refusesATokenWithSpaces() throws IOException {
    Path file = Files.writeString(directory.resolve("token"), "two words\n");

    assertThatThrownBy(() -> TokenFile.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("printable ASCII without spaces");
  }
}
