package dev.berth.runtime.local;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A log file written by a workload that outlives the agent (a process's stdout opened for append, a
 * VM's serial console): read its tail, follow it, and rotate it by size.
 *
 * <p>Rotation copies and truncates (as logrotate's copytruncate): the writer keeps its file
 * descriptor, opened with O_APPEND, so its next write lands at the start of the emptied file. The
 * few bytes written between copy and truncate may be lost; that is the price of never having to
 * signal the workload.
 */
public final class LogFile {

  /** How often a follower looks for new lines. */
  static final long FOLLOW_POLL_MILLIS = 100;

  private final Path path;

  public LogFile(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  /** The last {@code lines} lines (fewer if the file is shorter); empty if there is no file. */
  public List<String> tail(int lines) {
    if (lines <= 0 || !Files.exists(path)) {
      return List.of();
    }
    // Not sized by lines: a caller asking for "everything" (Integer.MAX_VALUE) must not allocate
    // it.
    Deque<String> last = new ArrayDeque<>();
    // A reader, not Files.lines: that one throws on bytes that are not UTF-8 and the whole tail
    // would be lost; a reader replaces them.
    try (BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(Files.newInputStream(path), StandardCharsets.UTF_8));
        Stream<String> all = reader.lines()) {
      all.forEach(
          line -> {
            if (last.size() == lines) {
              last.removeFirst();
            }
            last.addLast(line);
          });
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
    return new ArrayList<>(last);
  }

  /**
   * The last {@code lines} lines, then every new line as it is written, until the stream is closed.
   * A truncation (rotation) is noticed and reading starts again from the new start.
   */
  public Stream<String> follow(int lines) {
    Follower follower = new Follower(tail(lines));
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(
                follower, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(follower::close);
  }

  /**
   * If the file is larger than {@code maxBytes}, moves its content to {@code NAME.1} (shifting
   * older ones up to {@code NAME.keep}) and empties it.
   *
   * @return whether it rotated
   */
  public boolean rotateIfLarger(long maxBytes, int keep) {
    try {
      if (!Files.exists(path) || Files.size(path) <= maxBytes) {
        return false;
      }
      for (int i = keep - 1; i >= 1; i--) {
        Path older = path.resolveSibling(path.getFileName() + "." + i);
        if (Files.exists(older)) {
          Files.move(
              older,
              path.resolveSibling(path.getFileName() + "." + (i + 1)),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
      if (keep >= 1) {
        Files.copy(
            path,
            path.resolveSibling(path.getFileName() + ".1"),
            StandardCopyOption.REPLACE_EXISTING);
      }
      try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
        file.setLength(0);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rotate " + path, e);
    }
  }

  /** Reads appended lines by polling; knows where it stopped by byte offset. */
  private final class Follower implements Iterator<String> {
    private final Deque<String> pending;
    private long offset;
    // Bytes, not chars: a read may end inside a multi-byte character, so decode whole lines only.
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile boolean closed;

    Follower(List<String> initial) {
      pending = new ArrayDeque<>(initial);
      offset = size();
    }

    @Override
    public boolean hasNext() {
      while (pending.isEmpty()) {
        if (closed || Thread.currentThread().isInterrupted()) {
          return false;
        }
        readAppended();
        if (pending.isEmpty()) {
          try {
            Thread.sleep(FOLLOW_POLL_MILLIS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
      }
      return true;
    }

    @Override
    public String next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return pending.removeFirst();
    }

    void close() {
      closed = true;
    }

    private void readAppended() {
      long size = size();
      if (size < offset) {
        offset = 0; // rotated: the file was emptied under us
        partial.reset();
      }
      if (size == offset) {
        return;
      }
      try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
        file.seek(offset);
        byte[] bytes = new byte[(int) Math.min(size - offset, 1 << 20)];
        file.readFully(bytes);
        offset += bytes.length;
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
          if (bytes[i] == '\n') { // never part of a multi-byte character in UTF-8
            partial.write(bytes, lineStart, i - lineStart);
            pending.addLast(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
            lineStart = i + 1;
          }
        }
        partial.write(bytes, lineStart, bytes.length - lineStart);
      } catch (IOException e) {
        // The file may be rotating; look again on the next poll.
      }
    }

    private long size() {
      try {
        return Files.exists(path) ? Files.size(path) : 0;
      } catch (IOException e) {
        return 0;
      }
    }
  }
}
