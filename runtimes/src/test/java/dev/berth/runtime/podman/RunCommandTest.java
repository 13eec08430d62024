package dev.berth.runtime.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.Mount;
import dev.berth.runtime.PortBinding;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.RuntimeRestartPolicy;
import dev.berth.runtime.SecretVariable;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code podman run} command line a spec becomes. */
class RunCommandTest {

  private static final Path SCRATCH = Path.of("/tmp/x");

  @Test
  void everyFieldOfASpecHasItsFlag() {
    WorkloadSpec spec =
        WorkloadSpec.builder("shop-web", WorkloadKind.CONTAINER)
            .image("localhost/shop:2")
            .args("httpd", "-f", "-p", "8080")
            .label("berth.service", "shop")
            .label("berth.component", "web")
            .env("GREETING", "hello world")
            .mounts(
                List.of(
                    new Mount("/srv/www", "/www", true), new Mount("/srv/data", "/data", false)))
            .ports(
                new PortBinding("http", "127.0.0.1", 18080, 8080),
                new PortBinding(null, "::1", 18443, 8443))
            .network("shopnet")
            .user("1000:1000")
            .restart(RuntimeRestartPolicy.ON_FAILURE)
            .memoryMb(256)
            .vcpus(2)
            .init(true)
            .workingDirectory("/www")
            .build();

    assertThat(RunCommand.arguments(spec, SCRATCH))
        .containsExactly(
            "run",
            "--detach",
            "--pull=never",
            "--cidfile=/tmp/x/cid",
            "--name=shop-web",
            "--label=berth.service=shop",
            "--label=berth.component=web",
            "--env-file=/tmp/x/env",
            "--volume=/srv/www:/www:ro",
            "--volume=/srv/data:/data",
            "--publish=127.0.0.1:18080:8080",
            "--publish=[::1]:18443:8443",
            "--network=shopnet",
            "--user=1000:1000",
            "--restart=on-failure",
            "--memory=256m",
            "--cpus=2",
            "--init",
            "--workdir=/www",
            "localhost/shop:2",
            "httpd",
            "-f",
            "-p",
            "8080");
  }

  @Test
  void theEnvironmentGoesInAFileExceptValuesWithLineBreaks() {
    WorkloadSpec spec =
        WorkloadSpec.builder("env", WorkloadKind.CONTAINER)
            .image("localhost/x:1")
            .env("PASSWORD", "s3cret with spaces and $NO_EXPANSION")
            .env("EMPTY", "")
            .env("PEM", "-----BEGIN-----\nMIIB\n-----END-----")
            .build();

    assertThat(RunCommand.envFile(spec))
        .contains("PASSWORD=s3cret with spaces and $NO_EXPANSION\nEMPTY=\n");
    assertThat(RunCommand.arguments(spec, SCRATCH))
        .contains("--env-file=/tmp/x/env", "--env=PEM=-----BEGIN-----\nMIIB\n-----END-----")
        .noneMatch(arg -> arg.contains("s3cret"));
  }

  @Test
  void secretsGoInTheEnvFileOnlyNeverOnTheCommandLine() {
    WorkloadSpec spec =
        WorkloadSpec.builder("secret", WorkloadKind.CONTAINER)
            .image("localhost/x:1")
            .secret(
                new SecretVariable("DB_PASSWORD", "test-file", "sha256:ab", "hunter2 and $MORE"))
            .build();

    assertThat(RunCommand.envFile(spec)).contains("DB_PASSWORD=hunter2 and $MORE\n");
    assertThat(RunCommand.arguments(spec, SCRATCH))
        .contains("--env-file=/tmp/x/env")
        .noneMatch(arg -> arg.contains("hunter2"));
  }

  @Test
  void aSecretWithALineBreakIsRefusedWithoutItsValue() {
    WorkloadSpec spec =
        WorkloadSpec.builder("secret", WorkloadKind.CONTAINER)
            .image("localhost/x:1")
            .secret(new SecretVariable("PEM", "test-file", "sha256:ab", "-----BEGIN-----\nMIIB"))
            .build();

    assertThatThrownBy(() -> RunCommand.arguments(spec, SCRATCH))
        .isInstanceOfSatisfying(
            RuntimeFailure.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_SPEC))
        .hasMessageContaining("secret PEM holds a line break")
        .hasMessageNotContaining("MIIB");
  }

  @Test
  void noEnvironmentNoFile() {
    assertThat(
            RunCommand.envFile(
                WorkloadSpec.builder("plain", WorkloadKind.CONTAINER).image("x").build()))
        .isEmpty();
  }

  @Test
  void unsetFieldsLeavePodmansDefaults() {
    WorkloadSpec spec =
        WorkloadSpec.builder("plain", WorkloadKind.CONTAINER).image("localhost/x:1").build();

    assertThat(RunCommand.arguments(spec, SCRATCH))
        .containsExactly(
            "run",
            "--detach",
            "--pull=never",
            "--cidfile=/tmp/x/cid",
            "--name=plain",
            "--restart=no",
            "localhost/x:1");
  }

  @Test
  void aPortWithoutAddressIsPublishedOnPodmansDefault() {
    assertThat(RunCommand.publish(new PortBinding(null, null, 8080, 80))).isEqualTo("8080:80");
  }

  @Test
  void onlyContainersWithAnImageAndNoExecutableRun() {
    assertThatThrownBy(
            () ->
                RunCommand.arguments(
                    WorkloadSpec.builder("p", WorkloadKind.PROCESS).executable("/bin/x").build(),
                    SCRATCH))
        .isInstanceOfSatisfying(
            RuntimeFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.INVALID_SPEC));
    assertThatThrownBy(
            () ->
                RunCommand.arguments(
                    WorkloadSpec.builder("c", WorkloadKind.CONTAINER).build(), SCRATCH))
        .isInstanceOfSatisfying(
            RuntimeFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.INVALID_SPEC));
    assertThatThrownBy(
            () ->
                RunCommand.arguments(
                    WorkloadSpec.builder("c", WorkloadKind.CONTAINER)
                        .image("localhost/x:1")
                        .executable("/bin/sh")
                        .build(),
                    SCRATCH))
        .isInstanceOfSatisfying(
            RuntimeFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.INVALID_SPEC));
  }
}
