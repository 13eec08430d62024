package dev.berth.runtime.local;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A log file written by a workload that outlives the agent (a process's output through its log
 * writer, a VM's serial console), with its rotated files {@code NAME.1} (the newest) to {@code
 * NAME.N}: read its tail and follow it, across rotations.
 *
 * <p>Two ways of rotating are followed. By renaming (a process's log writer): the file is moved to
 * {@code NAME.1} and a new one started; a reader finishes the old file, then goes on with the newer
 * ones. By copying and truncating (as logrotate's copytruncate, {@link #rotateIfLarger}, for a VM's
 * console, whose writer keeps its file descriptor): a reader sees the file shrink and starts again
 * from its top; the few bytes written between copy and truncate may be lost.
 */
public final class LogFile {

  /** How often a follower looks for new lines. */
  static final long FOLLOW_POLL_MILLIS = 100;

  /** How much of a file is read at once, from its end, to find where its last lines start. */
  private static final int BLOCK = 64 * 1024;

  private final Path path;

  public LogFile(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  /**
   * The last {@code lines} lines (fewer if there are fewer), read across the rotated files as one
   * text (a line cut in two by a rotation is one line); empty if there is no file.
   */
  public List<String> tail(int lines) {
    if (lines <= 0) {
      return List.of();
    }
    try (Segments segments = Segments.open(newestFirst(), null, null)) {
      return segments.tail(lines);
    }
  }

  /**
   * The last {@code lines} lines, then every new line as it is written, until the stream is closed,
   * across rotations (see the class's description).
   */
  public Stream<String> follow(int lines) {
    Follower follower = new Follower(lines);
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(
                follower, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(follower::close);
  }

  /**
   * If the file is larger than {@code maxBytes}, copies its content to {@code NAME.1} (shifting
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
        Path older = rotated(i);
        if (Files.exists(older)) {
          Files.move(older, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      if (keep >= 1) {
        Files.copy(path, rotated(1), StandardCopyOption.REPLACE_EXISTING);
      }
      try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
        file.setLength(0);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rotate " + path, e);
    }
  }

  private Path rotated(int index) {
    return path.resolveSibling(path.getFileName() + "." + index);
  }

  /** The file, then its rotated files from the newest, as far as they go without a gap. */
  private List<Path> newestFirst() {
    List<Path> files = new ArrayList<>(List.of(path));
    for (int i = 1; Files.exists(rotated(i)); i++) {
      files.add(rotated(i));
    }
    return files;
  }

  /** The identity of a file that a rename keeps (device and inode); null if there is none. */
  private static Object keyOf(Path file) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Files read as one text, oldest first, each up to the size it had when opened. Each is opened
   * before it can be renamed again, newest first: a file met twice (rotated while the next ones
   * were opened) is read once, and no file is missed.
   */
  private static final class Segments implements AutoCloseable {

    /** One file; {@code owned} if this closes it (not a follower's file). */
    private record Segment(FileChannel channel, long size, boolean owned) {}

    /** Where reading starts: a segment, and an offset in it. */
    private record Position(int segment, long offset) {}

    private static final Position START = new Position(0, 0);

    private final List<Segment> segments = new ArrayList<>();

    /**
     * @param newestFirst the files, newest first; missing ones are skipped
     * @param followed the first of them, already open (a follower's), or null to open it too
     * @param followedKey its {@link #keyOf key}
     */
    static Segments open(List<Path> newestFirst, FileChannel followed, Object followedKey) {
      Segments opened = new Segments();
      Set<Object> seen = new HashSet<>();
      try {
        List<Path> toOpen = newestFirst;
        if (followed != null) {
          opened.segments.add(new Segment(followed, followed.size(), false));
          seen.add(followedKey);
          toOpen = newestFirst.subList(1, newestFirst.size());
        }
        for (Path file : toOpen) {
          Object key = keyOf(file);
          if (key != null && !seen.add(key)) {
            continue;
          }
          try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            opened.segments.add(0, new Segment(channel, channel.size(), true));
          } catch (NoSuchFileException e) {
            // Rotated away meanwhile: its lines are in a file opened already, or gone.
          }
        }
      } catch (IOException e) {
        opened.close();
        return new Segments();
      }
      return opened;
    }

    /** The last {@code lines} lines; none if the files cannot be read. */
    List<String> tail(int lines) {
      try {
        return readFrom(lines == Integer.MAX_VALUE ? START : startOfLast(lines), lines);
      } catch (IOException | UncheckedIOException e) {
        return List.of();
      }
    }

    /**
     * Where the last {@code lines} lines start, found by reading back from the end, so that a tail
     * of a large log reads little of it. A final newline ends the last line, it starts none.
     */
    private Position startOfLast(int lines) throws IOException {
      int newlines = 0;
      boolean atEnd = true;
      ByteBuffer block = ByteBuffer.allocate(BLOCK);
      for (int index = segments.size() - 1; index >= 0; index--) {
        Segment segment = segments.get(index);
        for (long end = segment.size(); end > 0; ) {
          long from = Math.max(0, end - BLOCK);
          block.clear().limit((int) (end - from));
          for (int read = 0; block.hasRemaining() && read >= 0; ) {
            read = segment.channel().read(block, from + block.position());
          }
          byte[] bytes = block.array();
          for (int i = block.position() - 1; i >= 0; i--) {
            boolean newline = bytes[i] == '\n';
            if (newline && !atEnd && ++newlines == lines) {
              return new Position(index, from + i + 1);
            }
            atEnd = false;
          }
          end = from;
        }
      }
      return START;
    }

    /** Decodes from {@code start} to the end; keeps the last {@code lines}. */
    private List<String> readFrom(Position start, int lines) throws IOException {
      List<InputStream> streams = new ArrayList<>();
      for (int i = start.segment(); i < segments.size(); i++) {
        long from = i == start.segment() ? start.offset() : 0;
        Segment segment = segments.get(i);
        streams.add(
            new BoundedStream(
                Channels.newInputStream(segment.channel().position(from)), segment.size() - from));
      }
      Deque<String> last = new ArrayDeque<>();
      // A reader, not Files.lines: that one throws on bytes that are not UTF-8 and the whole tail
      // would be lost; a reader replaces them. Not closed: that would close the follower's file.
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(
                  new SequenceInputStream(Collections.enumeration(streams)),
                  StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (last.size() == lines) {
          last.removeFirst();
        }
        last.addLast(line);
      }
      return new ArrayList<>(last);
    }

    @Override
    public void close() {
      for (Segment segment : segments) {
        if (segment.owned()) {
          try {
            segment.channel().close();
          } catch (IOException e) {
            // Read only; nothing was lost.
          }
        }
      }
    }
  }

  /** At most {@code limit} bytes of a stream: a file that grows is read as it was when opened. */
  private static final class BoundedStream extends InputStream {
    private final InputStream in;
    private long left;

    BoundedStream(InputStream in, long limit) {
      this.in = in;
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(length, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }

  /**
   * Reads appended lines by polling. Holds the file it follows open, so that a rename (rotation)
   * cannot take the rest of it away: it reads that file to its end, then the newer ones.
   */
  private final class Follower implements Iterator<String> {
    private final Deque<String> pending;
    // Bytes, not chars: a read may end inside a multi-byte character, so decode whole lines only.
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private FileChannel channel;
    private Object key;
    private long position;
    private volatile boolean closed;

    Follower(int lines) {
      channel = openCurrent();
      position = size();
      if (lines <= 0) {
        pending = new ArrayDeque<>();
      } else {
        try (Segments segments = Segments.open(newestFirst(), channel, key)) {
          pending = new ArrayDeque<>(segments.tail(lines));
        }
      }
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
      closeChannel();
    }

    private void readAppended() {
      if (channel == null) {
        channel = openCurrent();
        position = 0;
        if (channel == null) {
          return;
        }
      }
      // Renamed away before the read below: then that read takes the old file's last bytes.
      Object now = keyOf(path);
      boolean rotated = now != null && !now.equals(key);
      if (size() < position) {
        position = 0; // emptied under us (copy and truncate)
        partial.reset();
      }
      drain(channel);
      if (rotated) {
        for (Path newer : newerThanFollowed()) {
          try (FileChannel file = FileChannel.open(newer, StandardOpenOption.READ)) {
            position = 0;
            drain(file);
          } catch (IOException e) {
            // Rotated again meanwhile; its lines are not for this follower.
          }
        }
        closeChannel();
        channel = openCurrent();
        position = 0;
        drain(channel);
      }
    }

    /** The rotated files newer than the one followed, oldest first. */
    private List<Path> newerThanFollowed() {
      List<Path> newer = new ArrayList<>();
      List<Path> all = newestFirst();
      for (Path file : all.subList(1, all.size())) {
        if (Objects.equals(keyOf(file), key)) {
          break;
        }
        newer.add(0, file);
      }
      return newer;
    }

    private void drain(FileChannel file) {
      if (file == null) {
        return;
      }
      try {
        ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
        while (true) {
          buffer.clear();
          int read = file.read(buffer, position);
          if (read <= 0) {
            return;
          }
          position += read;
          byte[] bytes = buffer.array();
          int lineStart = 0;
          for (int i = 0; i < read; i++) {
            if (bytes[i] == '\n') { // never part of a multi-byte character in UTF-8
              partial.write(bytes, lineStart, i - lineStart);
              pending.addLast(partial.toString(StandardCharsets.UTF_8));
              partial.reset();
              lineStart = i + 1;
            }
          }
          partial.write(bytes, lineStart, read - lineStart);
        }
      } catch (IOException e) {
        // Gone or unreadable for now; looked at again on the next poll.
      }
    }

    /** Opens the file now at the path, and notes its key; null if there is none. */
    private FileChannel openCurrent() {
      while (true) {
        Object before = keyOf(path);
        FileChannel opened;
        try {
          opened = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
          return null;
        }
        // The key is the path's: the same before and after the open, it is the opened file's.
        if (before != null && before.equals(keyOf(path))) {
          key = before;
          return opened;
        }
        try {
          opened.close();
        } catch (IOException e) {
          // Read only; nothing was lost.
        }
      }
    }

    private long size() {
      try {
        return channel == null ? 0 : channel.size();
      } catch (IOException e) {
        return 0;
      }
    }

    private void closeChannel() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          // Read-only; nothing was lost.
        }
        channel = null;
      }
    }
  }
}
