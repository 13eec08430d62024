package dev.berth.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.VolumeMount;
import dev.berth.spec.validation.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The string spellings of volumes and published ports. */
class ValueSyntaxTest {

  private final List<Violation> problems = new ArrayList<>();

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource({
    "/srv/data:/data,      /srv/data, /data, false",
    "/srv/data:/data:ro,   /srv/data, /data, true",
    "/srv/data:/data:rw,   /srv/data, /data, false",
  })
  void aVolumeIsHostColonContainerWithAnOptionalMode(
      String text, String host, String container, boolean readOnly) {
    assertThat(VolumeSyntax.parse(text, "volumes[0]", problems))
        .isEqualTo(new VolumeMount(host, container, readOnly));
    assertThat(problems).isEmpty();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"/data", "/a:/b:ro:z", ""})
  void aVolumeOfAnotherShapeIsRefused(String text) {
    assertThat(VolumeSyntax.parse(text, "volumes[0]", problems)).isNull();
    assertThat(problems)
        .singleElement()
        .hasToString(
            "volumes[0]: must be \"host:container\" or \"host:container:ro\", was \""
                + text
                + "\"");
  }

  @Test
  void aVolumeOptionOtherThanRoOrRwIsRefusedByName() {
    assertThat(VolumeSyntax.parse("/a:/b:z", "volumes[0]", problems)).isNull();
    assertThat(problems)
        .singleElement()
        .hasToString(
            "volumes[0]: unknown volume option \"z\" (Berth knows \"ro\" and \"rw\"), was"
                + " \"/a:/b:z\"");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(
      nullValues = "none",
      value = {
        "8080:80,               none,      8080, 80",
        "127.0.0.1:8080:80,     127.0.0.1, 8080, 80",
        "[::1]:8080:80,         ::1,       8080, 80",
        "[fe80::1%eth0]:53:53,  fe80::1%eth0, 53, 53",
      })
  void aPortIsHostColonContainerAfterAnOptionalAddress(
      String text, String ip, int host, int container) {
    assertThat(PortSyntax.parse(text, "ports[0]", problems))
        .isEqualTo(new PortMapping(ip, host, container));
    assertThat(problems).isEmpty();
  }

  @Test
  void aPortOutOfRangeButWithinAnIntIsLeftToTheValidator() {
    assertThat(PortSyntax.parse("70000:80", "ports[0]", problems))
        .isEqualTo(new PortMapping(null, 70000, 80));
    assertThat(problems).isEmpty();
  }

  @Test
  void aPortBeyondAnIntIsReportedAtItsPartWithThePortRule() {
    assertThat(PortSyntax.parse("80:99999999999", "ports[0]", problems)).isNotNull();
    assertThat(problems)
        .singleElement()
        .hasToString("ports[0].container: must be 1..65535, was 99999999999");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {"8080", "http:80", "80/tcp:80", "[::1]8080:80", "[::1:8080:80", "[::1]:1:2:3", ""})
  void aPortOfAnotherShapeIsRefused(String text) {
    assertThat(PortSyntax.parse(text, "ports[0]", problems)).isNull();
    assertThat(problems)
        .singleElement()
        .hasToString(
            "ports[0]: must be \"[ip:]host:container\", such as \"127.0.0.1:8080:80\", was \""
                + text
                + "\"");
  }

  @Test
  void anIpv6AddressWithoutBracketsIsRefusedWithTheBracketedSpelling() {
    assertThat(PortSyntax.parse("::1:8080:80", "ports[0]", problems)).isNull();
    assertThat(problems)
        .singleElement()
        .hasToString(
            "ports[0]: an IPv6 address goes in brackets, such as \"[::1]:8080:80\", was"
                + " \"::1:8080:80\"");
  }
}
