package dev.berth.reconcilers.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.runtime.RuntimeFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which files of the secrets directory are used, what value they give, and how others are refused.
 */
class SecretFilesTest {

  @TempDir Path directory;

  @Test
  void aFileOfMode0600GivesItsContentWithoutItsFinalLineBreak() throws IOException {
    write("token", "hunter2\n", "rw-------");

    Secret secret = SecretFiles.in(directory).read("token");

    assertThat(secret.value()).isEqualTo("hunter2");
    assertThat(secret.digest())
        // sha256sum of "hunter2\n": the file's bytes as they are
        .isEqualTo("sha256:" + sha256Hex("hunter2\n"));
  }

  @Test
  void aFileOfMode0400IsUsedToo() throws IOException {
    write("token", "hunter2", "r--------");

    assertThat(SecretFiles.in(directory).read("token").value()).isEqualTo("hunter2");
  }

  @Test
  void aFileItsGroupMayReadIsRefusedNamingItsMode() throws IOException {
    write("token", "hunter2", "rw-r-----");

    assertThat(refusal("token"))
        .isEqualTo(
            "secret file "
                + directory.resolve("token")
                + " has mode 0640: it must be 0600 or stricter (chmod 600 "
                + directory.resolve("token")
                + ")");
  }

  @Test
  void aFileEveryoneMayReadIsRefusedNamingItsModeNeverItsValue() throws IOException {
    write("token", "hunter2", "rw-r--r--");

    RuntimeFailure failure =
        (RuntimeFailure) catchThrowable(() -> SecretFiles.in(directory).read("token"));

    assertThat(failure.reason()).isEqualTo(RuntimeFailure.Reason.SECRET_UNUSABLE);
    assertThat(failure.getMessage()).contains("has mode 0644").doesNotContain("hunter2");
    assertThat(SecretFiles.in(directory).digest("token")).isEmpty();
  }

  @Test
  void aDirectoryOthersMayWriteToIsRefusedForEveryFile() throws IOException {
    write("token", "hunter2", "rw-------");
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThat(refusal("token"))
        .startsWith("secrets directory " + directory)
        .contains("mode 0777) may be written by others than the agent's user")
        .endsWith("chmod 700 it");
  }

  @Test
  void aMissingFileIsRefusedNamingIt() {
    assertThat(refusal("token"))
        .isEqualTo("secret file " + directory.resolve("token") + " does not exist");
  }

  @Test
  void aDirectoryIsNoSecretFile() throws IOException {
    Files.createDirectory(directory.resolve("token"));

    assertThat(refusal("token")).endsWith("is not a regular file");
  }

  @Test
  void aLinkToAFileOfMode0600IsFollowed() throws IOException {
    Path target = write("real", "hunter2", "rw-------");
    Files.createSymbolicLink(directory.resolve("token"), target);

    assertThat(SecretFiles.in(directory).read("token").value()).isEqualTo("hunter2");
  }

  @Test
  void aLineBreakBeforeTheEndIsRefused() throws IOException {
    write("token", "line one\nline two\n", "rw-------");

    assertThat(refusal("token")).contains("holds a line break before its end");
  }

  @Test
  void aNulByteIsRefused() throws IOException {
    write("token", "a\0b", "rw-------");

    assertThat(refusal("token")).contains("holds a NUL byte");
  }

  @Test
  void bytesThatAreNotUtf8AreRefused() throws IOException {
    Path file = write("token", "", "rw-------");
    Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe});

    assertThat(refusal("token")).endsWith("is not UTF-8 text");
  }

  @Test
  void aFileLargerThan64KiBIsRefused() throws IOException {
    write("token", "a".repeat(SecretFiles.MAX_BYTES + 1), "rw-------");

    assertThat(refusal("token")).contains("holds 65537 bytes, more than the 65536 a secret may");
  }

  @Test
  void aChangedContentChangesTheDigest() throws IOException {
    write("token", "one", "rw-------");
    String before = SecretFiles.in(directory).digest("token").orElseThrow();
    write("token", "two", "rw-------");

    assertThat(SecretFiles.in(directory).digest("token")).isPresent().get().isNotEqualTo(before);
  }

  @Test
  void aNodeWithoutSecretsDirectoryRefusesEverySecret() {
    assertThat(catchThrowable(() -> SecretFiles.none().read("token")).getMessage())
        .isEqualTo("secret file token: this node has no secrets directory");
  }

  private String refusal(String file) {
    Throwable failure = catchThrowable(() -> SecretFiles.in(directory).read(file));
    assertThat(failure).isInstanceOf(RuntimeFailure.class);
    return failure.getMessage();
  }

  private Path write(String name, String content, String mode) throws IOException {
    Path file = directory.resolve(name);
    Files.deleteIfExists(file);
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  private static String sha256Hex(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
