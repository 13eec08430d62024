package dev.berth.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.berth.spec.validation.ValidationPolicy;
import dev.berth.store.toml.TomlText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service files are read with a bound that holds while reading, and only when they are regular
 * files: what is not (a FIFO, a device) and what is nested without end is a clear error naming the
 * file, never a hang, an OutOfMemoryError or a StackOverflowError.
 */
class BoundedReadingTest {

  // A hang guard only: each case finishes in milliseconds when it passes.
  private static final Duration HANG = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void aFifoIsRefusedUnreadRatherThanWaitedOn() throws Exception {
    Path fifo = dir.resolve("web.toml");
    mkfifo(fifo);

    LoadResult result =
        assertTimeoutPreemptively(HANG, () -> ServiceFiles.load(fifo, ValidationPolicy.STRICT));

    assertThat(result.errors())
        .singleElement()
        .hasToString("web.toml: is a FIFO, not a regular file");
  }

  @Test
  void aFifoAmongTheFilesOfADirectoryIsNamed() throws Exception {
    Files.writeString(
        dir.resolve("a.toml"),
        "name = \"a\"\n[[components]]\nname = \"app\"\nimage = \"example.net/a:1\"\n");
    mkfifo(dir.resolve("b.toml"));

    LoadResult result =
        assertTimeoutPreemptively(HANG, () -> ServiceFiles.load(dir, ValidationPolicy.STRICT));

    assertThat(result.errors())
        .extracting(FileError::toString)
        .containsExactly("b.toml: is a FIFO, not a regular file");
    assertThat(result.services()).isEmpty();
  }

  @Test
  void aDeviceThatNeverEndsIsRefusedUnread() {
    LoadResult result =
        assertTimeoutPreemptively(
            HANG, () -> ServiceFiles.load(Path.of("/dev/zero"), ValidationPolicy.STRICT));

    assertThat(result.errors())
        .singleElement()
        .hasToString("zero: is a character device, not a regular file");
  }

  @Test
  void theBoundHoldsWhileReadingAFileWhoseReportedSizeIsZero() throws IOException {
    // /proc files are regular and report a size of 0 whatever they hold.
    Path maps = Path.of("/proc/self/maps");
    assertThat(Files.size(maps)).isZero();

    assertThatThrownBy(() -> BoundedText.read(maps, 64, "a test file"))
        .isInstanceOf(BoundedText.RefusedException.class)
        .hasMessage("is larger than the 64 bytes a test file may have");
  }

  @Test
  void aFileAtTheBoundIsRead() throws IOException {
    Path file = dir.resolve("exact.txt");
    Files.writeString(file, "x".repeat(64));

    assertThat(BoundedText.read(file, 64, "a test file")).hasSize(64);
  }

  @Test
  void deepNestingIsASyntaxErrorNotAStackOverflow() throws IOException {
    Path file = dir.resolve("deep.toml");
    Files.writeString(file, "name = \"web\"\nenv = " + "[".repeat(200_000) + "]".repeat(200_000));

    LoadResult result = ServiceFiles.load(file, ValidationPolicy.STRICT);

    assertThat(result.errors())
        .singleElement()
        .hasToString(
            "deep.toml: arrays, inline tables and tables are nested too deep: Berth reads at most"
                + " 32 levels");
  }

  @Test
  void deepNestingOfInlineTablesAndTableHeadersIsRefusedToo() {
    assertThat(BerthExtensionsTest.errors("a = " + "{b = ".repeat(200_000)))
        .singleElement()
        .asString()
        .contains("nested too deep");
    assertThat(BerthExtensionsTest.errors("[" + "a.".repeat(200_000) + "b]\n"))
        .singleElement()
        .asString()
        .contains("nested too deep");
  }

  @Test
  void nestingUpToTheBoundIsRead() {
    String nested = "[".repeat(TomlText.MAX_NESTING - 1) + "]".repeat(TomlText.MAX_NESTING - 1);
    assertThat(BerthExtensionsTest.errors("name = \"web\"\nx = " + nested))
        .noneMatch(error -> error.contains("nested"));
  }

  static void mkfifo(Path path) throws IOException, InterruptedException {
    Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor()).isZero();
  }
}
