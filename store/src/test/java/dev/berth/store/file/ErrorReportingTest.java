package dev.berth.store.file;

import static dev.berth.store.file.BerthExtensionsTest.errors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.validation.ValidationPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every problem names the file, the line where the parser knows it, and the field path. */
class ErrorReportingTest {

  private static final String HEAD =
      """
      name = "web"
      [[components]]
      name = "app"
      image = "example.net/app:1.0"
      """;

  @Test
  void aTomlSyntaxErrorNamesTheFileAndTheLine() {
    assertThat(errors("name = \"web\"\n\n[[components]]\nname = app\n"))
        .containsExactly("web.toml:4: TOML syntax error: Unknown token");
  }

  @Test
  void aKeySetTwiceSaysWhichWayToLook() {
    assertThat(errors("name = \"web\"\nname = \"api\"\n"))
        .singleElement()
        .asString()
        .startsWith("web.toml:")
        .endsWith(
            "TOML syntax error: Duplicate key (a key is set twice in one table, at or above this"
                + " line)");
  }

  @Test
  void anUnknownKeyIsAnErrorThatSuggestsTheClosestKnownKey() {
    assertThat(errors("name = \"web\"\n[[components]]\nname = \"app\"\nimgae = \"x:1\"\n"))
        .containsExactly("web.toml: components[0].imgae: unknown key; did you mean \"image\"?");
  }

  @Test
  void anUnknownKeyFarFromAnyKnownOneListsTheKnownKeys() {
    assertThat(errors(HEAD + "[[components.routes]]\nname = \"https\"\nweight = 3\n"))
        .containsExactly(
            "web.toml: components[0].routes[0].weight: unknown key (the keys here are name, port,"
                + " mode, hostname)");
  }

  @Test
  void aSecretWithAValueIsRefusedAtItsPath() {
    assertThat(
            errors(
                HEAD
                    + "[[components.secrets]]\nname = \"DB_PASSWORD\"\nfile = \"db\"\n"
                    + "value = \"hunter2\"\n"))
        .containsExactly(
            "web.toml: components[0].secrets[0].value: unknown key (the keys here are name,"
                + " file)");
  }

  @Test
  void aPortWrittenAsAStringIsATypeErrorAtItsPath() {
    assertThat(
            errors(
                HEAD
                    + """
                    [[components.routes]]
                    name = "https"
                    port = "443"
                    mode = "l7"
                    hostname = "web.example.net"
                    """))
        .containsExactly(
            "web.toml: components[0].routes[0].port: must be an integer, was a string (\"443\")");
  }

  @Test
  void anIntegerBeyondAnIntReadsAsTheValidatorsRuleWouldSayIt() {
    assertThat(errors(HEAD + "[components.health]\ntype = \"tcp\"\nport = 99999999999\n"))
        .containsExactly("web.toml: components[0].health.port: must be 1..65535, was 99999999999");
  }

  @Test
  void memoryBeyondAnIntReadsAsTheValidatorsRuleWouldSayIt() {
    assertThat(errors(HEAD + "memory = 4294967296\n"))
        .containsExactly("web.toml: components[0].memory: must be 1..1048576, was 4294967296");
  }

  @Test
  void anIntegerOfMoreThanEighteenDigitsIsRefusedRatherThanMisread() {
    // The parser would read this as 512 (FasterXML/jackson-dataformats-text#663).
    assertThat(errors(HEAD + "memory = 1000000000000000512\n"))
        .containsExactly(
            "web.toml:5: integer 1000000000000000512 is too long: Berth reads integers of at most"
                + " 18 digits");
  }

  @Test
  void aFloatIsNotAnInteger() {
    assertThat(errors(HEAD + "vcpus = 2.0\n"))
        .containsExactly("web.toml: components[0].vcpus: must be an integer, was a float (2.0)");
  }

  @Test
  void aDateWhereAStringBelongsIsReportedAsADate() {
    assertThat(errors("name = \"web\"\ncomment = 2024-05-01\n"))
        .containsExactly("web.toml: comment: must be a string, was a date or time (2024-05-01)");
  }

  @Test
  void anImpossibleDateIsNotValidToml() {
    assertThat(errors("name = \"web\"\ncomment = 2024-02-30\n"))
        .singleElement()
        .asString()
        .startsWith("web.toml: invalid TOML date or time: Text '2024-02-30' could not be parsed");
  }

  @Test
  void aSingleStringWhereCmdNeedsAnArrayIsRefused() {
    assertThat(errors(HEAD + "cmd = \"--port 8080\"\n"))
        .containsExactly(
            "web.toml: components[0].cmd: must be an array of strings, was a string (\"--port"
                + " 8080\")");
  }

  @Test
  void anEnvEntryWithoutAnEqualsSignIsRefused() {
    assertThat(errors(HEAD + "env = [\"A=1\", \"DEBUG\"]\n"))
        .containsExactly("web.toml: components[0].env[1]: must be \"KEY=VALUE\", was \"DEBUG\"");
  }

  @Test
  void anEnvKeySetTwiceIsRefusedRatherThanOneValueDropped() {
    assertThat(errors(HEAD + "env = [\"A=1\", \"B=2\", \"A=3\"]\n"))
        .containsExactly(
            "web.toml: components[0].env[2]: sets \"A\" again; components[0].env[0] sets it"
                + " already");
  }

  @Test
  void anEnvValueInATableMustBeAString() {
    assertThat(errors(HEAD + "[components.env]\nPORT_ADMIN = 8080\n"))
        .containsExactly(
            "web.toml: components[0].env[\"PORT_ADMIN\"]: must be a string, was an integer (8080)");
  }

  @Test
  void aVolumeStringOfAnotherShapeIsAnErrorAtItsPath() {
    assertThat(errors(HEAD + "volumes = [\"/a:/b\", \"/data\"]\n"))
        .containsExactly(
            "web.toml: components[0].volumes[1]: must be \"host:container\" or"
                + " \"host:container:ro\", was \"/data\"");
  }

  @Test
  void aPortStringOfAnotherShapeIsAnErrorAtItsPath() {
    assertThat(errors(HEAD + "ports = [\"8080:80\", \"http\"]\n"))
        .containsExactly(
            "web.toml: components[0].ports[1]: must be \"[ip:]host:container\", such as"
                + " \"127.0.0.1:8080:80\", was \"http\"");
  }

  @Test
  void anElementOfTheWrongTypeKeepsTheIndicesOfTheOthers() {
    assertThat(errors(HEAD + "ports = [8080, \"http\"]\n"))
        .containsExactly(
            "web.toml: components[0].ports[0]: must be a string, was an integer (8080)",
            "web.toml: components[0].ports[1]: must be \"[ip:]host:container\", such as"
                + " \"127.0.0.1:8080:80\", was \"http\"");
  }

  @ParameterizedTest(name = "{0} = \"{1}\"")
  @CsvSource(
      delimiterString = "->",
      value = {
        "runtime -> vm -> components[0].runtime: must be one of \"container\" | \"unikernel\" |"
            + " \"process\", was \"vm\"",
        "restart -> Always -> components[0].restart: must be one of \"no\" | \"always\" |"
            + " \"on-failure\" | \"unless-stopped\", was \"Always\"",
      })
  void anUnknownEnumValueListsTheChoices(String key, String value, String expected) {
    assertThat(errors(HEAD + key + " = \"" + value + "\"\n"))
        .containsExactly("web.toml: " + expected);
  }

  @Test
  void anUnknownRouteModeListsTheChoices() {
    assertThat(
            errors(
                HEAD
                    + "[[components.routes]]\nname = \"https\"\nport = 443\nmode = \"tls\"\n"
                    + "hostname = \"web.example.net\"\n"))
        .containsExactly(
            "web.toml: components[0].routes[0].mode: must be one of \"l4\" | \"l7\", was \"tls\"");
  }

  @Test
  void componentsWrittenAsOneTableAreRefused() {
    assertThat(errors("name = \"web\"\n[components]\nname = \"app\"\n"))
        .containsExactly(
            "web.toml: components: must be an array of tables ([[components]]), was a table");
  }

  @Test
  void everyProblemOfAFileIsReportedAtOnce() {
    assertThat(
            errors(
                """
                name = "web"
                actve = false
                [[components]]
                name = "app"
                image = "example.net/app:1.0"
                vcpus = "2"
                ports = ["1:2:3:4"]
                """))
        .containsExactly(
            "web.toml: actve: unknown key; did you mean \"active\"?",
            "web.toml: components[0].ports[0]: an IPv6 address goes in brackets, such as"
                + " \"[::1]:8080:80\", was \"1:2:3:4\"",
            "web.toml: components[0].vcpus: must be an integer, was a string (\"2\")");
  }

  @Test
  void theValidatorsViolationsComeBackWithTheFileName() {
    assertThat(
            errors(
                """
                name = "web"
                [[components]]
                name = "app"
                image = "example.net/app:latest"
                [[components.routes]]
                name = "https"
                port = 70000
                mode = "l7"
                hostname = "web.example.net"
                """))
        .containsExactly(
            "web.toml: components[0].image: must not use the floating tag :latest, was"
                + " \"example.net/app:latest\"; pin a version (or allow floating tags in the"
                + " registry's settings)",
            "web.toml: components[0].routes[0].port: must be 1..65535, was 70000");
  }

  @Test
  void theValidationPolicyIsTheCallersToRelax() {
    String toml = "name = \"web\"\n[[components]]\nname = \"app\"\nimage = \"example.net/app\"\n";

    assertThat(ServiceFiles.read(toml, "web.toml", "test", new ValidationPolicy(true)).ok())
        .isTrue();
    assertThat(ServiceFiles.read(toml, "web.toml", "test", ValidationPolicy.STRICT).ok()).isFalse();
  }

  @Test
  void theValidatorDoesNotRunOnAFileThatDidNotMapSoNoProblemIsReportedTwice() {
    // Without the guard the validator would add "routes[0].port: must be 1..65535, was 0".
    assertThat(
            errors(
                HEAD
                    + "[[components.routes]]\nname = \"https\"\nport = \"443\"\nmode = \"l7\"\n"
                    + "hostname = \"web.example.net\"\n"))
        .hasSize(1);
  }

  @Test
  void aByteOrderMarkAtTheStartIsNotPartOfTheDocument() {
    assertThat(errors("\uFEFF" + HEAD)).isEmpty();
  }

  @Test
  void parseThrowsWithEveryError() {
    assertThatThrownBy(
            () ->
                ServiceFiles.parse(
                    "name = \"web\"\nnmae = 1\nnode = 7\n", "web.toml", ValidationPolicy.STRICT))
        .isInstanceOfSatisfying(
            ServiceFileException.class,
            e -> assertThat(e.errors()).extracting(FileError::path).containsExactly("nmae", "node"))
        .hasMessage(
            "2 problems:\n"
                + "  web.toml: nmae: unknown key; did you mean \"name\"?\n"
                + "  web.toml: node: must be a string, was an integer (7)");
  }

  @Test
  void anEmptyFileIsAServiceWithoutANameOrComponents() {
    assertThat(errors(""))
        .containsExactly(
            "web.toml: name: must not be empty",
            "web.toml: components: a service needs at least one component");
  }

  @Test
  void buildMustBeATableEvenThoughItIsIgnored() {
    assertThat(errors(HEAD.replace("[[components]]", "build = \"docker\"\n[[components]]")))
        .containsExactly("web.toml: build: must be a table, was a string (\"docker\")");
  }

  @Test
  void anUnknownKeyInBuildIsAnErrorLikeAnyOther() {
    assertThat(errors(HEAD + "[build]\nimage = \"app\"\n"))
        .containsExactly("web.toml: build.image: unknown key; did you mean \"images\"?");
  }

  @Test
  void pathMustBeAStringEvenThoughItIsIgnored() {
    assertThat(errors("path = [\"/srv\"]\n" + HEAD))
        .containsExactly("web.toml: path: must be a string, was an array");
  }
}
