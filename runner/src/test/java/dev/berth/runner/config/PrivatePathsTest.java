package dev.berth.runner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.spec.validation.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The paths a root agent refuses to trust. "Am I root" is a parameter, so that the rules are
 * checked whoever runs the tests; only changing a file's owner needs root itself.
 */
class PrivatePathsTest {

  @TempDir Path work;

  @ParameterizedTest(name = "data_dir {0}: refused {1}")
  @CsvSource({
    "rwx------, false",
    "rwx--x--x, false",
    "rwxr-xr-x, true",
    "rwx---r-x, true",
    "rwxrwx--x, true",
    "rwx----w-, true"
  })
  void aDataDirectoryOthersCanReadOrWriteIsRefused(String mode, boolean refused)
      throws IOException {
    Path data = Files.createDirectory(work.resolve("data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString(mode.strip()));

    List<Violation> errors = PrivatePaths.check(config(""), true);

    if (refused) {
      assertThat(errors)
          .singleElement()
          .satisfies(
              error -> {
                assertThat(error.path()).isEqualTo("data_dir");
                assertThat(error.message())
                    .startsWith("must not be readable or writable by other users")
                    .contains(mode.strip(), "chmod 711 " + data);
              });
    } else {
      assertThat(errors).isEmpty();
    }
  }

  @ParameterizedTest(name = "socket directory {0}: refused {1}")
  @CsvSource({"rwx------, false", "rwxr-xr-x, false", "rwxrwxr-x, true", "rwxrwxrwx, true"})
  void aSocketDirectoryOthersCanWriteIsRefused(String mode, boolean refused) throws IOException {
    Path run = Files.createDirectory(work.resolve("run"));
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString(mode.strip()));

    List<Violation> errors =
        PrivatePaths.check(config("[api]\nsocket = \"run/berth.sock\"\n"), true);

    if (refused) {
      assertThat(errors)
          .singleElement()
          .satisfies(
              error -> {
                assertThat(error.path()).isEqualTo("api.socket");
                assertThat(error.message()).startsWith("must not be writable by other users");
              });
    } else {
      assertThat(errors).isEmpty();
    }
  }

  @ParameterizedTest(name = "token file {0}: refused {1}")
  @CsvSource({
    "rw-------, false",
    "r--------, false",
    "rw-r-----, true",
    "rw----r--, true",
    "rw--w----, true"
  })
  void aTokenFileAnyOtherUserCanReadIsRefusedGroupIncluded(String mode, boolean refused)
      throws IOException {
    Path token = Files.writeString(work.resolve("token"), "0123456789abcdef0123456789abcdef\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString(mode.strip()));

    List<Violation> errors = PrivatePaths.check(config("[api]\ntoken_file = \"token\"\n"), true);

    if (refused) {
      assertThat(errors)
          .singleElement()
          .satisfies(
              error -> {
                assertThat(error.path()).isEqualTo("api.token_file");
                assertThat(error.message())
                    .startsWith("must not be readable or writable (group included) by other users")
                    .endsWith("run chmod 600 " + token);
              });
    } else {
      assertThat(errors).isEmpty();
    }
  }

  @Test
  void anAgentNotRunningAsRootChecksNothingHere() throws IOException {
    Path data = Files.createDirectory(work.resolve("data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThat(PrivatePaths.check(config(""), false)).isEmpty();
  }

  @Test
  void aDataDirectoryOwnedByAnotherUserIsRefused() throws IOException {
    assumeTrue(PrivatePaths.runningAsRoot(), "only root can give a file to another user");
    Path data = Files.createDirectory(work.resolve("data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    UserPrincipal nobody =
        data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(data, nobody);

    assertThat(PrivatePaths.check(config(""), true))
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.path()).isEqualTo("data_dir");
              assertThat(error.message())
                  .startsWith("must be owned by root when the agent runs as root")
                  .contains("owned by nobody");
            });
  }

  @Test
  void whatDoesNotExistYetIsNotRefused() {
    assertThat(PrivatePaths.check(config("[api]\nsocket = \"missing/berth.sock\"\n"), true))
        .isEmpty();
  }

  private AgentConfig config(String more) {
    return AgentConfigLoader.read(
        "data_dir = \"data\"\n[metrics]\nlisten = \"\"\n" + more, "berth.toml", work, false);
  }
}
