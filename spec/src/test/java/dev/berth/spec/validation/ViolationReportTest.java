package dev.berth.spec.validation;

import static dev.berth.spec.validation.Specs.WEB;
import static dev.berth.spec.validation.Specs.component;
import static dev.berth.spec.validation.Specs.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.VolumeMount;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How problems are reported: all of them at once, each as {@code path: rule}, and for services
 * applied together with paths that start at the service ({@code services[shop].components[0]...}).
 */
class ViolationReportTest {

  private final SpecValidator validator = new SpecValidator();

  /** The baseline with four unrelated problems in three places. */
  private static ServiceSpec fourProblems() {
    ServiceSpec shop =
        component(
                WEB,
                c ->
                    c.image("nginx")
                        .routes(new RouteSpec("https", 70_000, RouteMode.L7, "shop.example.com"))
                        .volumes(new VolumeMount("srv", "/data", false)))
            .apply(Specs.shop());
    return named(shop, "Shop");
  }

  @Test
  void reportsEveryProblemAtOnceInDeclarationOrder() {
    assertThat(validator.validate(fourProblems()))
        .extracting(Violation::toString)
        .containsExactly(
            "name: must be a lowercase DNS label (1-63 characters of a-z, 0-9 and '-', starting"
                + " and ending with a letter or digit), was \"Shop\"",
            "components[0].image: needs an explicit tag (such as :1.4.2) or digest, was"
                + " \"nginx\"; an untagged image can change under the same name",
            "components[0].volumes[0].host: must be an absolute path, was \"srv\"",
            "components[0].routes[0].port: must be 1..65535, was 70000");
  }

  @Test
  void aBrokenComponentDoesNotHideTheProblemsOfTheNextOne() {
    ServiceSpec spec =
        component(1, c -> c.name("API")).apply(component(0, c -> c.name(null)).apply(Specs.shop()));

    assertThat(validator.validate(spec))
        .extracting(Violation::path)
        .containsExactly("components[0].name", "components[1].name");
  }

  @Test
  void checkThrowsWithEveryProblemListedInTheMessage() {
    InvalidSpecException e =
        catchThrowableOfType(
            InvalidSpecException.class, () -> validator.check(List.of(fourProblems())));

    assertThat(e.violations()).hasSize(4);
    assertThat(e.getMessage())
        .startsWith("4 problems:\n")
        .contains("\n  services[0].name: must be a lowercase DNS label")
        .contains("\n  services[0].components[0].image: needs an explicit tag")
        .contains("\n  services[0].components[0].volumes[0].host: must be an absolute path")
        .contains("\n  services[0].components[0].routes[0].port: must be 1..65535, was 70000");
  }

  @Test
  void aSingleProblemIsTheWholeMessage() {
    ServiceSpec spec = component(WEB, c -> c.image("nginx:latest")).apply(Specs.shop());

    assertThatThrownBy(() -> validator.check(List.of(spec)))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith(
            "services[shop].components[0].image: must not use the floating tag :latest, was"
                + " \"nginx:latest\"");
  }

  @Test
  void checkAcceptsValidServicesSilently() {
    validator.check(List.of(Specs.shop(), blog("blog.example.com")));
  }

  @Test
  void aViolationPrintsAsPathColonRule() {
    Violation v = new Violation("routes[0].port", "must be 1..65535, was 0");

    assertThat(v.within("components[1]"))
        .hasToString("components[1].routes[0].port: must be 1..65535, was 0");
    assertThat(new Violation("", "a service needs at least one component").within("services[x]"))
        .hasToString("services[x]: a service needs at least one component");
  }

  @Test
  void pathsOfServicesAppliedTogetherStartAtTheServiceName() {
    ServiceSpec badBlog = component(0, c -> c.image("nginx")).apply(blog("blog.example.com"));

    assertThat(validator.validateAll(List.of(Specs.shop(), badBlog)))
        .extracting(Violation::path)
        .containsExactly("services[blog].components[0].image");
  }

  @Test
  void aServiceWhoseNameIsBrokenIsNamedByItsIndex() {
    List<ServiceSpec> services = List.of(Specs.shop(), named(blog("blog.example.com"), "Blog"));

    assertThat(validator.validateAll(services))
        .extracting(Violation::toString)
        .singleElement()
        .asString()
        .startsWith("services[1].name: must be a lowercase DNS label");
  }

  @Test
  void twoServicesMayNotShareAName() {
    List<ServiceSpec> services =
        List.of(Specs.shop(), blog("blog.example.com"), named(blog("other.example.com"), "shop"));

    assertThat(validator.validateAll(services))
        .extracting(Violation::toString)
        .containsExactly(
            "services[2].name: duplicate service name \"shop\": services[0] has it too");
  }

  @Test
  void theProblemsOfASecondServiceWithATakenNameAreNamedByItsIndex() {
    ServiceSpec secondShop =
        named(component(0, c -> c.image("nginx")).apply(blog("blog.example.com")), "shop");

    assertThat(validator.validateAll(List.of(Specs.shop(), secondShop)))
        .extracting(Violation::path)
        .containsExactlyInAnyOrder("services[1].components[0].image", "services[1].name");
  }

  @Test
  void twoServicesMayNotClaimOneListenerPortAndHostname() {
    List<ServiceSpec> services = List.of(Specs.shop(), blog("shop.example.com"));

    assertThat(validator.validateAll(services))
        .extracting(Violation::toString)
        .containsExactly(
            "services[blog].components[0].routes[0]: listener port 443 for hostname"
                + " shop.example.com is claimed by services[shop].components[0].routes[0]");
  }

  @Test
  void everyLaterClaimantIsReportedAgainstTheFirst() {
    List<ServiceSpec> services =
        List.of(Specs.shop(), blog("shop.example.com"), named(blog("shop.example.com"), "wiki"));

    assertThat(validator.validateAll(services))
        .extracting(Violation::toString)
        .containsExactly(
            "services[blog].components[0].routes[0]: listener port 443 for hostname"
                + " shop.example.com is claimed by services[shop].components[0].routes[0]",
            "services[wiki].components[0].routes[0]: listener port 443 for hostname"
                + " shop.example.com is claimed by services[shop].components[0].routes[0]");
  }

  @Test
  void servicesAppliedTogetherMayShareAHostnameOnDifferentListenerPorts() {
    ServiceSpec blogOnAdminPort =
        component(0, c -> c.routes(new RouteSpec("admin", 8443, RouteMode.L7, "shop.example.com")))
            .apply(blog("unused.example.com"));

    assertThat(validator.validateAll(List.of(Specs.shop(), blogOnAdminPort))).isEmpty();
  }

  @Test
  void aClaimTwiceWithinOneServiceIsReportedOnceWhenAppliedWithOthers() {
    ServiceSpec shop =
        component(1, c -> c.routes(new RouteSpec("grpc", 443, RouteMode.L4, "shop.example.com")))
            .apply(Specs.shop());

    assertThat(validator.validateAll(List.of(shop, blog("blog.example.com"))))
        .extracting(Violation::toString)
        .containsExactly(
            "services[shop].components[1].routes[0]: listener port 443 for hostname"
                + " shop.example.com is already claimed by components[0].routes[0]");
  }

  @Test
  void servicesWhoseNamesShareAPrefixAreDifferentServices() {
    // Identity is the whole name: "mc" is not the service part of "mc-proxy".
    List<ServiceSpec> services =
        List.of(
            named(blog("mc.example.com"), "mc"),
            named(blog("proxy.example.com"), "mc-proxy"),
            named(blog("mc-proxy.example.com"), "proxy"));

    assertThat(validator.validateAll(services)).isEmpty();
  }

  /** A one-component service behind one L7 route on port 443. */
  private static ServiceSpec blog(String hostname) {
    ComponentSpec web =
        ComponentSpec.container("web", "ghost:5.80.0")
            .withRoutes(List.of(new RouteSpec("https", 443, RouteMode.L7, hostname)));
    return ServiceSpec.of("blog", web);
  }
}
