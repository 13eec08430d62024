package dev.berth.store.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a small text file whole: a service definition, the agent's configuration, a token or a
 * certificate. It refuses, before reading, what is not a regular file (a FIFO would block the
 * reader until some writer comes, {@code /dev/zero} never ends), and enforces its size bound while
 * reading, not from the size the file system reports: {@code /proc} files and devices report 0, and
 * a file can grow between the check and the read.
 */
public final class BoundedText {

  // S_IFMT and the file types of stat(2), to name what was given instead of a regular file.
  private static final int TYPE_MASK = 0170000;
  private static final int FIFO = 0010000;
  private static final int CHARACTER_DEVICE = 0020000;
  private static final int BLOCK_DEVICE = 0060000;
  private static final int SOCKET = 0140000;

  private BoundedText() {}

  /** A file refused for what it is, not for a failure to read it; the message says why. */
  public static final class RefusedException extends IOException {

    private static final long serialVersionUID = 1L;

    RefusedException(String message) {
      super(message);
    }
  }

  /**
   * The file's text, decoded as strict UTF-8.
   *
   * @param maxBytes the most bytes the file may hold
   * @param what what the file is, for the message: {@code a service definition}
   * @throws RefusedException when the file is not a regular file ({@code is a FIFO, not a regular
   *     file}) or holds more than {@code maxBytes} ({@code is larger than the 1048576 bytes a
   *     service definition may have})
   * @throws CharacterCodingException when the bytes are not UTF-8
   * @throws IOException when the file cannot be read (it does not exist, permission denied)
   */
  public static String read(Path file, long maxBytes, String what) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    if (!attributes.isRegularFile()) {
      throw new RefusedException("is " + kind(file, attributes) + ", not a regular file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      // One byte more than allowed tells "exactly at the bound" from "beyond it".
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    }
    if (bytes.length > maxBytes) {
      throw new RefusedException("is larger than the " + maxBytes + " bytes " + what + " may have");
    }
    return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
  }

  private static String kind(Path file, BasicFileAttributes attributes) {
    if (attributes.isDirectory()) {
      return "a directory";
    }
    int type;
    try {
      type = ((Integer) Files.getAttribute(file, "unix:mode")) & TYPE_MASK;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "a device, FIFO or socket";
    }
    return switch (type) {
      case FIFO -> "a FIFO";
      case CHARACTER_DEVICE -> "a character device";
      case BLOCK_DEVICE -> "a block device";
      case SOCKET -> "a socket";
      default -> "a special file";
    };
  }
}
