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
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A log file written by a workload that outlives the agent (a process's output through its log
 * writer, a VM's serial console), with its rotated files {@code NAME.1} (the newest) to {@code
 * NAME.N}: read its tail and follow it, across rotations.
 *
 * <p>Two ways of rotating are followed. By renaming (a process's log writer): the file is moved to
 * {@code NAME.1} (older ones one number up) and a new one started; a reader finishes the file it
 * had open, then reads the newer ones. By copying and truncating (as logrotate's copytruncate,
 * {@link #rotateIfLarger}, for a VM's console, whose writer keeps its file descriptor): a reader
 * sees the file shrink and starts again from its top; the few bytes written between copy and
 * truncate may be lost.
 *
 * <p>Files are told apart by their key (device and inode), which a rename keeps. They are opened
 * newest first: a rotation meanwhile only moves the files not yet opened to the names opened next,
 * so none is missed, and one met twice is read once.
 */
public final class LogFile {

  /** How often a follower looks for new lines. */
  static final long FOLLOW_POLL_MILLIS = 100;

  /** How much of a file is read at once, from its end, to find where its last lines start. */
  private static final int BLOCK = 64 * 1024;

  private final Path path;
  private final Pattern rotatedName;

  /** The log at {@code path}, its rotated files beside it as {@code NAME.1} to {@code NAME.N}. */
  public LogFile(Path path) {
    this.path = path;
    this.rotatedName = Pattern.compile(Pattern.quote(path.getFileName().toString()) + "\\.\\d+");
  }

  /** The live file's path. */
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
    List<Opened> files = openAll();
    try {
      return new Segments(files, -1).tail(lines);
    } finally {
      files.forEach(Opened::close);
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

  private Path rotated(long index) {
    return path.resolveSibling(path.getFileName() + "." + index);
  }

  /** The highest number of a rotated file there now; 0 if none. */
  private long highestRotated() {
    try (Stream<Path> siblings = Files.list(path.toAbsolutePath().getParent())) {
      return siblings
          .map(file -> file.getFileName().toString())
          .filter(name -> rotatedName.matcher(name).matches())
          .mapToLong(name -> number(name))
          .max()
          .orElse(0);
    } catch (IOException | UncheckedIOException e) {
      return 0; // no directory: no rotated files either
    }
  }

  private static long number(String rotated) {
    String digits = rotated.substring(rotated.lastIndexOf('.') + 1);
    return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
  }

  /** The file and its rotated files, open, newest first, each once. */
  private List<Opened> openAll() {
    return openUntil(null);
  }

  /**
   * The file and its rotated files, open, newest first, each once, up to the one whose key is
   * {@code last} (included) if it is there. Names are opened by increasing number, on past a
   * missing one while higher ones exist (a rotation moves the files up one at a time), so that
   * files moved up meanwhile are still reached: a file met again is skipped.
   */
  private List<Opened> openUntil(Object last) {
    List<Opened> opened = new ArrayList<>();
    Set<Object> seen = new HashSet<>();
    for (long n = 0; ; n++) {
      Optional<Opened> one = Opened.open(n == 0 ? path : rotated(n), n == 0);
      if (one.isEmpty()) {
        if (n > 0 && highestRotated() <= n) {
          return opened;
        }
        continue;
      }
      if (!seen.add(one.get().key())) {
        one.get().close();
        continue;
      }
      opened.add(one.get());
      if (one.get().key().equals(last)) {
        return opened;
      }
    }
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
   * One file of the log, open.
   *
   * @param key its key
   * @param current whether it was the log itself, not a rotated file, when opened
   */
  private record Opened(FileChannel channel, Object key, boolean current) {

    /** The file open with its key, the path's key before and after the open; empty if gone. */
    static Optional<Opened> open(Path file, boolean current) {
      for (int attempt = 0; attempt < 3; attempt++) {
        Object before = keyOf(file);
        if (before == null) {
          return Optional.empty();
        }
        FileChannel channel;
        try {
          channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
          return Optional.empty();
        }
        if (before.equals(keyOf(file))) {
          return Optional.of(new Opened(channel, before, current));
        }
        new Opened(channel, before, current).close(); // renamed in between: look again
      }
      return Optional.empty();
    }

    long size() {
      try {
        return channel.size();
      } catch (IOException e) {
        return 0;
      }
    }

    void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // Read only; nothing was lost.
      }
    }
  }

  /** Open files read as one text, oldest first, each up to the size it had when it was opened. */
  private static final class Segments {

    /** Where reading starts: a file, and an offset in it. */
    private record Position(int file, long offset) {}

    private static final Position START = new Position(0, 0);

    /** Oldest first. */
    private final List<Opened> files;

    private final List<Long> sizes = new ArrayList<>();

    /**
     * @param newestFirst the files
     * @param currentSize how much of the current file to read (a follower reads on from there), or
     *     -1 for all of it
     */
    Segments(List<Opened> newestFirst, long currentSize) {
      files = new ArrayList<>(newestFirst);
      Collections.reverse(files);
      for (Opened file : files) {
        sizes.add(file.current() && currentSize >= 0 ? currentSize : file.size());
      }
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
      for (int index = files.size() - 1; index >= 0; index--) {
        FileChannel channel = files.get(index).channel();
        for (long end = sizes.get(index); end > 0; ) {
          long from = Math.max(0, end - BLOCK);
          block.clear().limit((int) (end - from));
          for (int read = 0; block.hasRemaining() && read >= 0; ) {
            read = channel.read(block, from + block.position());
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
      for (int i = start.file(); i < files.size(); i++) {
        long from = i == start.file() ? start.offset() : 0;
        streams.add(
            new BoundedStream(
                Channels.newInputStream(files.get(i).channel().position(from)),
                sizes.get(i) - from));
      }
      Deque<String> last = new ArrayDeque<>();
      // A reader, not Files.lines: that one throws on bytes that are not UTF-8 and the whole tail
      // would be lost; a reader replaces them. Not closed: the files are their owner's to close.
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
    private final Deque<String> pending = new ArrayDeque<>();
    // Bytes, not chars: a read may end inside a multi-byte character, so decode whole lines only.
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    /** The file followed, or null while there is none. */
    private Opened followed;

    private long position;
    private volatile boolean closed;

    Follower(int lines) {
      List<Opened> files = openAll();
      followed = files.stream().filter(Opened::current).findFirst().orElse(null);
      position = followed == null ? 0 : followed.size();
      if (lines > 0) {
        pending.addAll(new Segments(files, position).tail(lines));
      }
      files.stream().filter(file -> file != followed).forEach(Opened::close);
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
      if (followed != null) {
        followed.close();
      }
    }

    private void readAppended() {
      if (followed == null) {
        followed = Opened.open(path, true).orElse(null);
        position = 0;
        if (followed == null) {
          return;
        }
      }
      // Looked at before the read below: renamed by then, it gets no more writes, so that read
      // takes the rest of it.
      Object now = keyOf(path);
      boolean rotated = now != null && !now.equals(followed.key());
      if (followed.size() < position) {
        position = 0; // emptied under us (copy and truncate)
        partial.reset();
      }
      drain(followed);
      if (rotated) {
        moveOn();
      }
    }

    /** After the file followed was rotated away: reads the newer files, follows the newest. */
    private void moveOn() {
      List<Opened> all = openUntil(followed.key());
      int ours = 0;
      while (ours < all.size() && !all.get(ours).key().equals(followed.key())) {
        ours++;
      }
      followed.close();
      followed = null;
      for (int i = ours - 1; i >= 0; i--) { // oldest of the newer ones first
        Opened newer = all.get(i);
        position = 0;
        drain(newer);
        if (i == 0 && newer.current()) {
          followed = newer;
        } else {
          newer.close();
        }
      }
      all.subList(ours, all.size()).forEach(Opened::close);
    }

    private void drain(Opened file) {
      try {
        ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
        while (true) {
          buffer.clear();
          int read = file.channel().read(buffer, position);
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
        // Unreadable for now; looked at again on the next poll.
      }
    }
  }
}
