package dev.berth.runner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.spec.validation.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad value is refused with its key path and the rule it breaks. */
class AgentConfigErrorsTest {

  @TempDir Path work;

  @BeforeEach
  void files() throws Exception {
    TestFiles.writeAll(work);
    Files.writeString(work.resolve("empty-token"), "\n");
    Files.writeString(
        work.resolve("tls/old-key.pem"),
        "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
    Files.writeString(work.resolve("tls/not-pem.txt"), "hello\n");
    Files.writeString(work.resolve("secrets/bad-eab.key"), "not base64!\n");
  }

  /** A complete [api.tls] section but for the line given. */
  static String tls(String line) {
    return "[api]\ntcp = \"127.0.0.1:7443\"\n[api.tls]\n"
        + "cert_file = \"tls/agent.pem\"\nkey_file = \"tls/agent-key.pem\"\n"
        + "client_ca_file = \"tls/clients-ca.pem\"\nallowed_subjects = [\"CN=ops\"]\n"
        + line
        + "\n";
  }

  static String acme(String lines) {
    return "[certificates.acme]\ndirectory = \"https://ca.example/dir\"\n" + lines + "\n";
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("node = \"Bad_Name\"", "node", "must be a lowercase DNS name"),
        bad("data_dir = \"\"", "data_dir", "must not be empty"),
        bad("data_dir = \"tls/agent.pem\"", "data_dir", "must be a directory"),
        bad("[api]\ntcp = \"localhost\"", "api.tcp", "must be host:port", "was \"localhost\""),
        bad("[api]\ntcp = \"127.0.0.1:70000\"", "api.tcp", "port of 1..65535"),
        bad("[api]\ntcp = \"[::1\"", "api.tcp", "must be host:port"),
        bad("[api]\nsocket = \"\"", "api.socket", "the agent would have no API"),
        bad("[api]\nsocket = \"" + "s".repeat(120) + "\"", "api.socket", "at most 107 bytes"),
        bad("[api]\ntcp = \"127.0.0.1:7443\"", "api.tls", "is required when api.tcp is set"),
        bad("[api]\ntoken_file = \"missing\"", "api.token_file", "(no such file)"),
        bad("[api]\ntoken_file = \"empty-token\"", "api.token_file", "(empty)"),
        bad("[api]\ntoken_file = \"tls\"", "api.token_file", "must name a regular file"),
        bad("[api.tls]\nkey_file = \"tls/agent-key.pem\"", "api.tls.cert_file", "is required"),
        bad(
            tls("cert_file = \"\"").replace("cert_file = \"tls/agent.pem\"\n", ""),
            "api.tls.cert_file",
            "must not be empty"),
        bad(tls("").replace("[\"CN=ops\"]", "[]"), "api.tls.allowed_subjects", "at least one"),
        bad(
            tls("").replace("[\"CN=ops\"]", "[\"not a name\"]"),
            "api.tls.allowed_subjects[0]",
            "must be an X.500 name",
            "was \"not a name\""),
        bad(tls("").replace("agent-key.pem", "old-key.pem"), "api.tls.key_file", "PKCS#8"),
        bad(
            tls("").replace("tls/agent.pem", "tls/not-pem.txt"),
            "api.tls.cert_file",
            "must name a PEM file of certificates"),
        bad(tls("colour = 1"), "api.tls.colour", "unknown key"),
        bad("[metrics]\nlisten = \"0.0.0.0:9464\"", "metrics.listen", "must be a loopback address"),
        bad("[metrics]\nlisten = \"node1.example:9464\"", "metrics.listen", "loopback"),
        bad(
            "[runtimes]\nenabled = [\"process\", \"docker\"]",
            "runtimes.enabled[1]",
            "must be one of process, podman, qemu, was \"docker\""),
        bad(
            "[runtimes]\nenabled = [\"process\", \"process\"]",
            "runtimes.enabled[1]",
            "a second time"),
        bad(
            "[runtimes]\nenabled = \"process\"",
            "runtimes.enabled",
            "must be an array of strings, was a string (\"process\")"),
        bad(
            "[runtimes]\nenabled = [\"process\", 2]",
            "runtimes.enabled[1]",
            "must be a string, was an integer (2)"),
        bad(
            "[runtimes.process]\nlog_keep = -1",
            "runtimes.process.log_keep",
            "must be 0..100, was -1"),
        bad(
            "[runtimes.process]\nlog_max_bytes = 1.5",
            "runtimes.process.log_max_bytes",
            "must be an integer, was a float (1.5)"),
        bad(
            "[runtimes.podman]\ncommand_timeout = \"0s\"",
            "runtimes.podman.command_timeout",
            "must be positive"),
        bad(
            "[runtimes.podman]\npull_timeout = \"15 minutes\"",
            "runtimes.podman.pull_timeout",
            "must be a duration such as \"500ms\""),
        bad(
            "[runtimes.podman]\npull_timeout = 900",
            "runtimes.podman.pull_timeout",
            "must be a string, was an integer (900)"),
        bad(
            "[runtimes.podman]\ncontainers_conf = \"nope.conf\"",
            "runtimes.podman.containers_conf",
            "(no such file)"),
        bad("[runtimes.podman]\nbinary = \"\"", "runtimes.podman.binary", "must name a program"),
        bad("[runtimes.qemu]\nvcpus = 0", "runtimes.qemu.vcpus", "must be 1..256, was 0"),
        bad(
            "[runtimes.qemu]\naccel = \"kvm -drive\"",
            "runtimes.qemu.accel",
            "must be a QEMU name"),
        bad("[ports]\nrange = \"60000-10000\"", "ports.range", "1024 <= LOW < HIGH <= 65535"),
        bad("[ports]\nrange = \"80-1000\"", "ports.range", "was \"80-1000\""),
        bad("[ports]\nrange = \"10000-70000\"", "ports.range", "was \"10000-70000\""),
        bad(
            "[routes]\nenabled = \"yes\"",
            "routes.enabled",
            "must be true or false, was a string (\"yes\")"),
        bad(
            "[routes]\nlisten_address = \"example.com\"",
            "routes.listen_address",
            "must be an IPv4 or IPv6 address"),
        bad("[routes]\nreload_timeout = \"1y\"", "routes.reload_timeout", "must be a duration"),
        bad(
            "[certificates]\nrenew_before = \"-1d\"",
            "certificates.renew_before",
            "must be a duration"),
        bad(
            "[certificates]\ninternal_suffixes = [\"internal\"]",
            "certificates.internal_suffixes[0]",
            "starting with a dot"),
        bad(
            "[certificates.acme]\nemail = \"ops@example.com\"",
            "certificates.acme.directory",
            "must be set when other certificates.acme keys are (email)"),
        bad(
            "[certificates.acme]\ndirectory = \"ftp://ca.example/\"",
            "certificates.acme.directory",
            "directory URL"),
        bad(acme("email = \"nobody\""), "certificates.acme.email", "must be an email address"),
        bad(
            acme("eab_key_id = \"kid\""),
            "certificates.acme.eab_hmac_key_file",
            "must be set together with eab_key_id"),
        bad(
            acme("eab_hmac_key_file = \"secrets/eab.key\""),
            "certificates.acme.eab_key_id",
            "must be set together with eab_hmac_key_file"),
        bad(
            acme("eab_key_id = \"kid\"\neab_hmac_key_file = \"secrets/bad-eab.key\""),
            "certificates.acme.eab_hmac_key_file",
            "base64url HMAC key"),
        bad(
            acme("eab_key_id = \"kid\"\neab_hmac_key_file = \"secrets/none\""),
            "certificates.acme.eab_hmac_key_file",
            "(no such file)"),
        bad(
            acme("trust_file = \"tls/clients-ca.pem\"")
                .replace("https://ca.example/dir", "http://ca.example/dir"),
            "certificates.acme.trust_file",
            "needs an https directory URL"),
        bad(
            acme("trust_file = \"tls/missing.pem\""),
            "certificates.acme.trust_file",
            "(no such file)"),
        bad(
            acme("key_type = \"dsa\""),
            "certificates.acme.key_type",
            "must be one of ec-p256, ec-p384, rsa-2048, rsa-4096, was \"dsa\""),
        bad(
            acme("challenge_port = 0"),
            "certificates.acme.challenge_port",
            "must be 1..65535, was 0"),
        bad(acme("account_key = \"tls\""), "certificates.acme.account_key", "regular file"),
        bad(
            "[certificates.local_ca]\nvalidity = \"30d\"",
            "certificates.local_ca.validity",
            "must be longer than certificates.renew_before (30d)"),
        bad("[[stages]]\nservices = [\"db\"]", "stages[0].name", "is required"),
        bad(
            "[[stages]]\nname = \"Data\"\nservices = [\"db\"]",
            "stages[0].name",
            "lowercase DNS label"),
        bad(
            "[[stages]]\nname = \"a\"\nservices = [\"db\"]\n[[stages]]\nname = \"a\"\n"
                + "services = [\"web\"]",
            "stages[1].name",
            "must be unique"),
        bad(
            "[[stages]]\nname = \"a\"\nservices = [\"db\"]\n[[stages]]\nname = \"b\"\n"
                + "services = [\"db\"]",
            "stages[1].services[0]",
            "at most one stage"),
        bad(
            "[[stages]]\nname = \"a\"\nservices = []",
            "stages[0].services",
            "at least one service"),
        bad(
            "[[stages]]\nname = \"a\"\nservices = [\"db\"]\nprobe = \"icmp\"",
            "stages[0].probe",
            "must be one of none, tcp, http, grpc, was \"icmp\""),
        bad(
            "[[stages]]\nname = \"a\"\nservices = [\"db\"]\ntimeout = \"0ms\"",
            "stages[0].timeout",
            "must be positive"),
        bad("stages = \"data\"", "stages", "must be an array of tables ([[stages]])"),
        bad("api = 5", "api", "must be a table ([api]), was an integer (5)"),
        bad("[reconcile]\nworkers = 0", "reconcile.workers", "must be 1..64, was 0"),
        bad("[reconcile]\nworkers = 65", "reconcile.workers", "must be 1..64, was 65"),
        bad(
            "[reconcile]\nworkers = \"4\"",
            "reconcile.workers",
            "must be an integer, was a string (\"4\")"),
        bad("[reconcile]\nrelist_period = \"30\"", "reconcile.relist_period", "must be a duration"),
        bad("[registry]\nhistory_limit = 0", "registry.history_limit", "must be 1..1000, was 0"),
        bad("[registry]\nhistory = 5", "registry.history", "unknown key"));
  }

  static Arguments bad(String toml, String path, String... fragments) {
    return Arguments.of(toml, path, List.of(fragments));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badValues")
  void badValueIsRefusedWithItsKeyPath(String toml, String path, List<String> fragments) {
    List<Violation> errors = errorsOf(toml);

    assertThat(errors).extracting(Violation::path).contains(path);
    Violation error = errors.stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow();
    for (String fragment : fragments) {
      assertThat(error.message()).contains(fragment);
    }
  }

  @Test
  void messagesNameTheFileTheKeyTheRuleAndTheValue() {
    assertThat(messageOf("[reconcile]\nworkers = 0"))
        .isEqualTo("berth.toml: reconcile.workers: must be 1..64, was 0");
    assertThat(messageOf("[runtimes]\nenabled = [\"process\", \"docker\"]"))
        .isEqualTo(
            "berth.toml: runtimes.enabled[1]: must be one of process, podman, qemu, was"
                + " \"docker\"");
    assertThat(messageOf("[api]\ntcp = \"localhost\"\n[api.tls]"))
        .startsWith("berth.toml: api.tcp: must be host:port")
        .contains(", was \"localhost\"");
  }

  @Test
  void everyProblemIsReportedAtOnceOnePerLine() {
    ConfigException e =
        failure(
            "node = \"Bad_Name\"\n"
                + "[metrics]\nlisten = \"0.0.0.0:1\"\n"
                + "[reconcile]\nworkers = 0\nresync_period = \"soon\"\n");

    assertThat(e.errors())
        .extracting(Violation::path)
        .containsExactly("node", "metrics.listen", "reconcile.workers", "reconcile.resync_period");
    assertThat(e.getMessage().lines())
        .hasSize(4)
        .allSatisfy(line -> assertThat(line).startsWith("berth.toml: "));
    assertThat(e.file()).isEqualTo("berth.toml");
  }

  @Test
  void anUnknownKeyIsAnErrorWithASuggestionWhenOneIsClose() {
    assertThat(messageOf("[reconcile]\nworker = 4"))
        .isEqualTo("berth.toml: reconcile.worker: unknown key; did you mean \"workers\"?");
    assertThat(messageOf("daat_dir = \"x\""))
        .isEqualTo("berth.toml: daat_dir: unknown key; did you mean \"data_dir\"?");
  }

  @Test
  void anUnknownKeyFarFromEveryKnownOneListsTheKnownKeys() {
    assertThat(messageOf("[ports]\ncolour = \"blue\""))
        .isEqualTo("berth.toml: ports.colour: unknown key (the keys here are range)");
  }

  @Test
  void aTomlSyntaxErrorSaysWhere() {
    assertThat(messageOf("node = \"a\"\n[api\nsocket = \"x\"\n"))
        .startsWith("berth.toml: line 2, column ")
        .contains("TOML syntax error");
  }

  @Test
  void aMissingFileIsReportedWithThePathLookedAt() throws Exception {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> AgentConfigLoader.load(Path.of("none.toml"), work));

    assertThat(e.getMessage())
        .isEqualTo("none.toml: no such file (looked for " + work.resolve("none.toml") + ")");
  }

  @Test
  void insecureListenAllowsPlainTcpWithoutTls() throws Exception {
    Path file = Files.writeString(work.resolve("berth.toml"), "[api]\ntcp = \"127.0.0.1:7443\"\n");

    assertThatThrownBy(() -> AgentConfigLoader.load(file, work))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("api.tls: is required when api.tcp is set");
    AgentConfig insecure = AgentConfigLoader.load(file, work, true);
    assertThat(insecure.api().tcp()).isEqualTo(new HostPort("127.0.0.1", 7443));
    assertThat(insecure.api().tls()).isNull();
  }

  @Test
  void anApiWithOnlyTcpIsFine() throws Exception {
    AgentConfig config =
        AgentConfigLoader.read(
            tls("").replace("[api]\n", "[api]\nsocket = \"\"\n"), "x", work, false);

    assertThat(config.api().socket()).isNull();
    assertThat(config.api().tcp()).isEqualTo(new HostPort("127.0.0.1", 7443));
  }

  private List<Violation> errorsOf(String toml) {
    return failure(toml).errors();
  }

  private String messageOf(String toml) {
    return failure(toml).getMessage();
  }

  private ConfigException failure(String toml) {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> AgentConfigLoader.read(toml, "berth.toml", work, false));
    assertThat(e).as("a ConfigException for:\n" + toml).isNotNull();
    return e;
  }
}
