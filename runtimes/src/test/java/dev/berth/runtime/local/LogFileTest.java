package dev.berth.runtime.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A workload's log file: tail, follow and rotation, across its rotated files. */
class LogFileTest {

  @TempDir Path temporary;

  @Test
  void tailReturnsTheLastLinesAndNothingForAMissingFile() throws IOException {
    Path path = temporary.resolve("out.log");
    LogFile log = new LogFile(path);
    assertThat(log.tail(10)).isEmpty();

    Files.writeString(path, "one\ntwo\nthree\n");

    assertThat(log.tail(2)).containsExactly("two", "three");
    assertThat(log.tail(10)).containsExactly("one", "two", "three");
  }

  @Test
  void tailCanAskForEveryLine() throws IOException {
    Path path = Files.writeString(temporary.resolve("out.log"), "one\ntwo\n");

    assertThat(new LogFile(path).tail(Integer.MAX_VALUE)).containsExactly("one", "two");
  }

  @Test
  void tailKeepsTheLinesAroundBytesThatAreNotUtf8() throws IOException {
    Path path = temporary.resolve("out.log");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes("before\n".getBytes(UTF_8));
    bytes.writeBytes(new byte[] {'l', 'a', 't', 'i', 'n', '1', ' ', (byte) 0xE9, '\n'});
    bytes.writeBytes("after\n".getBytes(UTF_8));
    Files.write(path, bytes.toByteArray());

    assertThat(new LogFile(path).tail(10)).containsExactly("before", "latin1 \uFFFD", "after");
  }

  @Test
  void followDecodesACharacterWhoseBytesArriveInTwoReads() throws Exception {
    Path path = Files.createFile(temporary.resolve("out.log"));
    byte[] eAcute = "é".getBytes(UTF_8);

    try (Stream<String> followed = new LogFile(path).follow(0)) {
      Iterator<String> lines = followed.iterator();
      append(path, new byte[] {'a', '\n', eAcute[0]});
      assertThat(within(lines::next)).isEqualTo("a"); // this read took the first byte too
      append(path, new byte[] {eAcute[1], '\n'});
      assertThat(within(lines::next)).isEqualTo("é");
    }
  }

  @Test
  void followStartsAgainFromTheTopWhenTheFileWasEmptied() throws Exception {
    Path path = Files.writeString(temporary.resolve("out.log"), "old line\n");
    LogFile log = new LogFile(path);

    try (Stream<String> followed = log.follow(1)) {
      Iterator<String> lines = followed.iterator();
      assertThat(within(lines::next)).isEqualTo("old line");
      assertThat(log.rotateIfLarger(1, 1)).isTrue();
      // Shorter than what was read: a poll sees the file shrink. (A file that grows back past the
      // old size between two polls is not told apart from one that only grew.)
      append(path, "new\n".getBytes(UTF_8));
      assertThat(within(lines::next)).isEqualTo("new");
    }
  }

  @Test
  void tailReadsTheRotatedFilesAsOneTextWithTheNewestLast() throws IOException {
    Path path = temporary.resolve("out.log");
    // Rotated by size, not by line: "three" and "five" were cut in two.
    Files.writeString(temporary.resolve("out.log.2"), "one\ntwo\nth");
    Files.writeString(temporary.resolve("out.log.1"), "ree\nfour\nfi");
    Files.writeString(path, "ve\nsix\n");
    // Older still, after a gap (as while a rotation moves the files one number up).
    Files.writeString(temporary.resolve("out.log.4"), "zero\n");
    Files.writeString(temporary.resolve("out.log.x"), "not a rotated file\n");

    LogFile log = new LogFile(path);

    assertThat(log.tail(4)).containsExactly("three", "four", "five", "six");
    assertThat(log.tail(Integer.MAX_VALUE))
        .containsExactly("zero", "one", "two", "three", "four", "five", "six");
    assertThat(log.tail(1)).containsExactly("six");
  }

  @Test
  void tailOfAFileWithoutAFinalNewlineEndsWithThePartialLine() throws IOException {
    Path path = Files.writeString(temporary.resolve("out.log"), "one\ntwo\nthr");

    assertThat(new LogFile(path).tail(2)).containsExactly("two", "thr");
  }

  @Test
  void followReadsARenamedFileToItsEndThenTheNewerOnes() throws Exception {
    Path path = Files.writeString(temporary.resolve("out.log"), "old\n");
    LogFile log = new LogFile(path);

    try (Stream<String> followed = log.follow(1)) {
      Iterator<String> lines = followed.iterator();
      assertThat(within(lines::next)).isEqualTo("old");
      // Written just before the rename, read by nobody yet: a follower must not lose it.
      append(path, "last of the first\n".getBytes(UTF_8));
      Files.move(path, temporary.resolve("out.log.2"));
      Files.writeString(temporary.resolve("out.log.1"), "the whole second\n");
      Files.writeString(path, "first of the third\n");

      assertThat(within(lines::next)).isEqualTo("last of the first");
      assertThat(within(lines::next)).isEqualTo("the whole second");
      assertThat(within(lines::next)).isEqualTo("first of the third");
      append(path, "and on\n".getBytes(UTF_8));
      assertThat(within(lines::next)).isEqualTo("and on");
    }
  }

  @Test
  void rotationMovesTheContentToName1ShiftsOlderOnesAndKeepsOnlySoMany() throws IOException {
    Path path = temporary.resolve("out.log");
    LogFile log = new LogFile(path);
    for (String content : new String[] {"first\n", "second\n", "third\n"}) {
      Files.writeString(path, content, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      assertThat(log.rotateIfLarger(3, 2)).isTrue();
    }

    assertThat(path).isEmptyFile();
    assertThat(temporary.resolve("out.log.1")).hasContent("third");
    assertThat(temporary.resolve("out.log.2")).hasContent("second");
    assertThat(temporary.resolve("out.log.3")).doesNotExist();
  }

  @Test
  void aFileWithinTheLimitIsLeftAlone() throws IOException {
    Path path = Files.writeString(temporary.resolve("out.log"), "small\n");

    assertThat(new LogFile(path).rotateIfLarger(1024, 3)).isFalse();
    assertThat(new LogFile(temporary.resolve("absent.log")).rotateIfLarger(1, 3)).isFalse();

    assertThat(path).hasContent("small");
    assertThat(temporary.resolve("out.log.1")).doesNotExist();
  }

  private static void append(Path path, byte[] bytes) throws IOException {
    Files.write(path, bytes, StandardOpenOption.APPEND);
  }

  /** A blocking read with a ceiling, so that a broken follower fails instead of hanging. */
  private static String within(Supplier<String> read) throws Exception {
    return CompletableFuture.supplyAsync(read).get(30, TimeUnit.SECONDS);
  }
}
