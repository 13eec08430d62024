package dev.berth.runner.security;

import dev.berth.store.file.BoundedText;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A file holding a bearer token: its first line, without surrounding whitespace (so that {@code
 * echo "$token" > file} works).
 */
public final class TokenFile {

  /** A token shorter than this is guessable; {@code openssl rand -hex 16} gives 32 characters. */
  public static final int MIN_LENGTH = 16;

  /** A token is a line; a larger file is something else named by mistake. */
  public static final long MAX_BYTES = 64 * 1024;

  private TokenFile() {}

  /**
   * Reads the token a client sends.
   *
   * @throws IOException naming the file when it cannot be read, is empty or holds a token with
   *     characters a header cannot carry
   */
  public static String read(Path file) throws IOException {
    String text;
    try {
      text = BoundedText.read(file, MAX_BYTES, "a token file");
    } catch (NoSuchFileException e) {
      throw new IOException("token file " + file + ": does not exist", e);
    } catch (BoundedText.RefusedException | CharacterCodingException e) {
      throw new IOException(
          "token file "
              + file
              + ": "
              + (e instanceof CharacterCodingException ? "is not UTF-8 text" : e.getMessage()),
          e);
    }
    String token = text.lines().findFirst().orElse("").strip();
    if (token.isEmpty()) {
      throw new IOException("token file " + file + ": is empty");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IOException(
            "token file "
                + file
                + ": the token must be printable ASCII without spaces (it travels in a header)");
      }
    }
    return token;
  }

  /**
   * Reads the token the agent expects, refusing a file that every user can read: whoever reads it
   * can call the agent.
   *
   * @throws IOException naming the file and the rule when it is world-readable, shorter than {@link
   *     #MIN_LENGTH} or unreadable
   */
  public static String readProtected(Path file) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view != null && Files.exists(file)) {
      Set<PosixFilePermission> permissions = view.readAttributes().permissions();
      // Group read stays allowed: sharing the token with an operators' group is a choice.
      if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
        throw new IOException(
            "token file "
                + file
                + ": must not be readable by every user, its mode is "
                + PosixFilePermissions.toString(permissions)
                + "; run chmod 600 "
                + file);
      }
    }
    String token = read(file);
    if (token.length() < MIN_LENGTH) {
      throw new IOException(
          "token file "
              + file
              + ": the token must be at least "
              + MIN_LENGTH
              + " characters, was "
              + token.length()
              + " (e.g. openssl rand -hex 32)");
    }
    return token;
  }
}
