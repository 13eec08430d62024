package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.validation.DefaultDomain;
import dev.berth.spec.validation.InvalidSpecException;
import dev.berth.spec.validation.ValidationPolicy;
import dev.berth.spec.validation.Violation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceStoreTest {

  private static final String FILES = "file:/etc/berth/services";
  private static final String CLI = "client:cli";

  @TempDir Path dataDirectory;
  private Registry registry;
  private ServiceStore services;

  @BeforeEach
  void open() {
    registry = Registry.open(RegistryConfig.at(dataDirectory));
    services = registry.services();
  }

  @AfterEach
  void close() {
    registry.close();
  }

  private ApplyResult apply(String source, ServiceSpec... specs) {
    return services.apply(ApplyRequest.of(source, List.of(specs)));
  }

  @Nested
  class Applying {

    @Test
    void aNewServiceIsCreatedAtGenerationOne() {
      ApplyResult result = apply(FILES, Specs.web("shop"));

      assertThat(result.of("shop").kind()).isEqualTo(ChangeKind.CREATED);
      assertThat(result.of("shop").generation()).isEqualTo(1);
      StoredService stored = services.get("shop").orElseThrow();
      assertThat(stored.generation()).isEqualTo(1);
      assertThat(stored.source()).isEqualTo(FILES);
    }

    @Test
    void whatIsReadBackIsExactlyWhatWasApplied() {
      apply(FILES, Specs.everything("mc-proxy"));

      assertThat(services.get("mc-proxy").orElseThrow().spec())
          .isEqualTo(Specs.everything("mc-proxy"));
    }

    @Test
    void applyingTheSameSpecAgainChangesNothing() {
      apply(FILES, Specs.web("shop"));

      ApplyResult again = apply(FILES, Specs.web("shop"));

      assertThat(again.of("shop").kind()).isEqualTo(ChangeKind.UNCHANGED);
      assertThat(services.get("shop").orElseThrow().generation()).isEqualTo(1);
    }

    @Test
    void everyChangeBumpsTheGenerationAndIsReportedFieldByField() {
      apply(FILES, Specs.web("shop"));
      ServiceSpec changed = withImage(Specs.web("shop"), "registry.example:5000/team/web:1.1.0");

      ApplyResult result = apply(FILES, changed);

      assertThat(result.of("shop").kind()).isEqualTo(ChangeKind.UPDATED);
      assertThat(result.of("shop").generation()).isEqualTo(2);
      assertThat(result.of("shop").diff())
          .containsExactly(
              new FieldChange(
                  "components[0].image",
                  "\"registry.example:5000/team/web:1.0.0\"",
                  "\"registry.example:5000/team/web:1.1.0\""));
      assertThat(services.get("shop").orElseThrow().spec()).isEqualTo(changed);
    }

    @Test
    void aServicesLabelsAreStoredReadBackAndKeptInItsHistory() {
      ServiceSpec labelled = Specs.web("shop").withLabels(Map.of("tier", "web", "env", "prod"));
      apply(FILES, labelled);

      assertThat(services.get("shop").orElseThrow().spec().labels())
          .isEqualTo(Map.of("tier", "web", "env", "prod"));
      assertThat(services.history("shop").get(0).spec().labels())
          .isEqualTo(Map.of("tier", "web", "env", "prod"));
    }

    @Test
    void aChangeOfLabelsAloneIsANewGenerationReportedUnderLabels() {
      apply(FILES, Specs.web("shop").withLabels(Map.of("tier", "web")));

      ApplyResult result = apply(FILES, Specs.web("shop").withLabels(Map.of("tier", "edge")));

      assertThat(result.of("shop").kind()).isEqualTo(ChangeKind.UPDATED);
      assertThat(result.of("shop").diff())
          .containsExactly(new FieldChange("labels.tier", "\"web\"", "\"edge\""));
    }

    @Test
    void aSetIsAppliedAllOrNothingWhenOneServiceIsInvalid() {
      apply(FILES, Specs.web("shop"));
      ServiceSpec invalid = withImage(Specs.web("broken"), "nginx:latest");

      assertThatThrownBy(
              () ->
                  apply(
                      FILES,
                      withImage(Specs.web("shop"), "r.example/web:2.0.0"),
                      Specs.web("new"),
                      invalid))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("services[broken].components[0].image");

      assertThat(services.names()).containsExactly("shop");
      assertThat(services.get("shop").orElseThrow().generation()).isEqualTo(1);
    }

    @Test
    void aSetIsAppliedAllOrNothingWhenOneGenerationIsStale() {
      apply(FILES, Specs.web("a"), Specs.web("b"));
      apply(FILES, withImage(Specs.web("b"), "r.example/web:2.0.0"));

      ApplyRequest request =
          ApplyRequest.of(
                  FILES, List.of(withImage(Specs.web("a"), "r.example/web:3.0.0"), Specs.web("b")))
              .expecting("a", 1)
              .expecting("b", 1);

      assertThatThrownBy(() -> services.apply(request))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("service b: expected generation 1, found 2");
      assertThat(services.get("a").orElseThrow().generation()).isEqualTo(1);
    }

    @Test
    void expectingGenerationZeroMeansTheServiceMustNotExistYet() {
      apply(FILES, Specs.web("shop"));

      assertThatThrownBy(
              () ->
                  services.apply(
                      ApplyRequest.of(CLI, List.of(Specs.web("shop"))).expecting("shop", 0)))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("expected generation 0, found 1");
    }

    @Test
    void aRouteAnotherServiceClaimsIsRejectedNamingThatService() {
      apply(FILES, Specs.web("shop"));
      ServiceSpec thief =
          ServiceSpec.of(
              "thief",
              ComponentSpec.container("web", "r.example/thief:1.0.0")
                  .withRoutes(
                      List.of(new RouteSpec("https", 443, RouteMode.L7, "shop.example.com"))));

      assertThatThrownBy(() -> apply(CLI, thief))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("services[thief].components[0].routes[0]")
          .hasMessageContaining("listener port 443 for hostname shop.example.com")
          .hasMessageContaining("service shop");
      assertThat(services.names()).containsExactly("shop");
    }

    @Test
    void aRouteWithoutHostnameIsRefusedOnAPortAnotherServiceUses() {
      apply(FILES, Specs.web("shop"));

      assertThatThrownBy(() -> apply(CLI, passthrough("tunnel", 443)))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining(
              "services[tunnel].components[0].routes[0].hostname: listener port 443 without a"
                  + " hostname takes the whole port, and service shop (component web, route"
                  + " https) claims it already");
      assertThat(services.names()).containsExactly("shop");
    }

    @Test
    void aPortOwnedByARouteWithoutHostnameIsRefusedToOtherServices() {
      apply(FILES, passthrough("tunnel", 443));

      assertThatThrownBy(() -> apply(CLI, Specs.web("shop")))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining(
              "services[shop].components[0].routes[0].hostname: listener port 443 for hostname"
                  + " shop.example.com is claimed by service tunnel (component server, route"
                  + " default), which has no hostname and takes the whole port");
      assertThatThrownBy(() -> apply(CLI, passthrough("second", 443)))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("services[second].components[0].routes[0].hostname");
      assertThat(services.names()).containsExactly("tunnel");
    }

    @Test
    void aRouteWithoutHostnameKeepsNoneWhenStoredAndAppliesAgainUnchanged() {
      apply(FILES, passthrough("tunnel", 25565));

      assertThat(apply(FILES, passthrough("tunnel", 25565)).of("tunnel").kind())
          .isEqualTo(ChangeKind.UNCHANGED);
      assertThat(services.get("tunnel").orElseThrow().spec())
          .isEqualTo(passthrough("tunnel", 25565));
    }

    @Test
    void twoServicesCanSwapARouteInOneApply() {
      ServiceSpec a = Specs.web("a");
      ServiceSpec b = Specs.web("b");
      apply(FILES, a, b);

      apply(FILES, withRouteHost(a, "b.example.com"), withRouteHost(b, "a.example.com"));

      assertThat(
              services.get("a").orElseThrow().spec().components().get(0).routes().get(0).hostname())
          .isEqualTo("b.example.com");
    }

    @Test
    void theSameHostnameOnAnotherListenerPortIsAllowed() {
      apply(FILES, Specs.web("shop"));
      ServiceSpec other =
          ServiceSpec.of(
              "admin",
              ComponentSpec.container("web", "r.example/admin:1.0.0")
                  .withRoutes(
                      List.of(new RouteSpec("https", 8443, RouteMode.L7, "shop.example.com"))));

      assertThat(apply(CLI, other).of("admin").kind()).isEqualTo(ChangeKind.CREATED);
    }

    @Test
    void applyingFromAnotherSourceIsAConflictNamingTheOwnerAndChangesNothing() {
      apply(FILES, Specs.web("shop"));

      assertThatThrownBy(() -> apply(CLI, withImage(Specs.web("shop"), "r.example/web:9.0.0")))
          .isInstanceOfSatisfying(
              ConflictException.class,
              e ->
                  assertThat(e.violations())
                      .extracting(Violation::path)
                      .containsExactly("services[shop]"))
          .hasMessageContaining("is declared by another source, \"" + FILES + "\"")
          .hasMessageContaining("take it over explicitly");
      StoredService stored = services.get("shop").orElseThrow();
      assertThat(stored.source()).isEqualTo(FILES);
      assertThat(stored.generation()).isEqualTo(1);
      assertThat(stored.spec()).isEqualTo(Specs.web("shop"));
    }

    @Test
    void aDryRunFromAnotherSourceShowsTheSameConflict() {
      apply(FILES, Specs.web("shop"));

      assertThatThrownBy(
              () ->
                  services.apply(ApplyRequest.of(CLI, List.of(Specs.web("shop"))).withDryRun(true)))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining(FILES);
    }

    @Test
    void takingOverFromAnotherSourceMovesTheServiceAndSaysSo() {
      apply(FILES, Specs.web("shop"));

      ServiceChange change =
          services
              .apply(ApplyRequest.of(CLI, List.of(Specs.web("shop"))).withTakeOver(true))
              .of("shop");

      assertThat(change.kind()).isEqualTo(ChangeKind.UPDATED);
      assertThat(change.previousSource()).isEqualTo(FILES);
      assertThat(change.diff())
          .containsExactly(new FieldChange("source", "\"" + FILES + "\"", "\"" + CLI + "\""));
      assertThat(services.get("shop").orElseThrow().source()).isEqualTo(CLI);
    }
  }

  /** H2 binds at most 65 536 elements in one array parameter. */
  @Nested
  class BigApplies {

    private static final int MORE_THAN_ONE_ARRAY = 65_537;

    private List<ServiceSpec> many(int count) {
      return IntStream.range(0, count)
          .mapToObj(
              i ->
                  ServiceSpec.of(
                      "svc-" + i,
                      ComponentSpec.container("web", "registry.example:5000/team/web:1.0.0")))
          .toList();
    }

    /** One test, as each apply of 65 537 services takes seconds. */
    @Test
    void anApplyOfMoreServicesThanOneArrayHoldsIsCommittedWholeAndPrunesWithinItsSource() {
      ApplyResult created = services.apply(ApplyRequest.of(FILES, many(MORE_THAN_ONE_ARRAY)));

      assertThat(created.changes()).hasSize(MORE_THAN_ONE_ARRAY);
      assertThat(created.changes()).allMatch(change -> change.kind() == ChangeKind.CREATED);
      assertThat(services.names()).hasSize(MORE_THAN_ONE_ARRAY);

      apply(CLI, Specs.web("of-another-source"));

      // One service fewer, and one changed: the rest are found, so unchanged.
      List<ServiceSpec> next = new ArrayList<>(many(MORE_THAN_ONE_ARRAY - 1));
      next.set(40_000, next.get(40_000).withDesiredState(DesiredState.STOPPED));
      ApplyResult result = services.apply(ApplyRequest.of(FILES, next).withPrune(true));

      assertThat(result.of("svc-" + (MORE_THAN_ONE_ARRAY - 1)).kind()).isEqualTo(ChangeKind.PRUNED);
      assertThat(result.of("svc-40000").kind()).isEqualTo(ChangeKind.UPDATED);
      assertThat(result.changes())
          .filteredOn(change -> change.kind() == ChangeKind.UNCHANGED)
          .hasSize(MORE_THAN_ONE_ARRAY - 2);
      assertThat(services.names()).hasSize(MORE_THAN_ONE_ARRAY).contains("of-another-source");
    }
  }

  @Nested
  class Pruning {

    @Test
    void pruneRemovesServicesOfTheSameSourceThatAreNoLongerDeclared() {
      apply(FILES, Specs.web("a"), Specs.web("b"));

      ApplyResult result =
          services.apply(ApplyRequest.of(FILES, List.of(Specs.web("a"))).withPrune(true));

      assertThat(result.of("b").kind()).isEqualTo(ChangeKind.PRUNED);
      assertThat(services.names()).containsExactly("a");
    }

    @Test
    void pruneNeverTouchesServicesOfAnotherSource() {
      apply(FILES, Specs.web("from-files"));
      apply(CLI, Specs.web("from-cli"));

      services.apply(
          ApplyRequest.of("file:/other/dir", List.of(Specs.web("other"))).withPrune(true));

      assertThat(services.names()).containsExactly("from-cli", "from-files", "other");
    }

    @Test
    void withoutPruneServicesMissingFromTheSetStay() {
      apply(FILES, Specs.web("a"), Specs.web("b"));

      apply(FILES, Specs.web("a"));

      assertThat(services.names()).containsExactly("a", "b");
    }

    @Test
    void aPrunedServiceFreesItsRoutesForTheSetThatReplacesIt() {
      apply(FILES, Specs.web("old"));
      ServiceSpec successor =
          ServiceSpec.of(
              "new",
              ComponentSpec.container("web", "r.example/new:1.0.0")
                  .withRoutes(
                      List.of(new RouteSpec("https", 443, RouteMode.L7, "old.example.com"))));

      ApplyResult result =
          services.apply(ApplyRequest.of(FILES, List.of(successor)).withPrune(true));

      assertThat(result.of("old").kind()).isEqualTo(ChangeKind.PRUNED);
      assertThat(result.of("new").kind()).isEqualTo(ChangeKind.CREATED);
    }
  }

  @Nested
  class DryRuns {

    @Test
    void aDryRunReportsWhatWouldChangeAndWritesNothing() {
      apply(FILES, Specs.web("a"), Specs.web("b"));

      ApplyResult result =
          services.apply(
              ApplyRequest.of(
                      FILES,
                      List.of(withImage(Specs.web("a"), "r.example/web:9.0.0"), Specs.web("c")))
                  .withPrune(true)
                  .withDryRun(true));

      assertThat(result.dryRun()).isTrue();
      assertThat(result.of("a").kind()).isEqualTo(ChangeKind.UPDATED);
      assertThat(result.of("a").generation()).isEqualTo(2);
      assertThat(result.of("a").diff())
          .extracting(FieldChange::path)
          .containsExactly("components[0].image");
      assertThat(result.of("b").kind()).isEqualTo(ChangeKind.PRUNED);
      assertThat(result.of("c").kind()).isEqualTo(ChangeKind.CREATED);
      assertThat(result.of("c").diff()).isNotEmpty();
      assertThat(services.names()).containsExactly("a", "b");
      assertThat(services.get("a").orElseThrow().generation()).isEqualTo(1);
    }

    @Test
    void aCreationIsReportedAsATreeOfEveryFieldNotAsOneValue() {
      ApplyResult result =
          services.apply(ApplyRequest.of(FILES, List.of(Specs.web("new"))).withDryRun(true));

      assertThat(result.of("new").diff())
          .contains(
              new FieldChange("name", null, "\"new\""),
              new FieldChange(
                  "components[0].image", null, "\"registry.example:5000/team/web:1.0.0\""),
              new FieldChange("components[0].routes[0].port", null, "443"),
              new FieldChange("components[0].routes[0].hostname", null, "\"new.example.com\""))
          .allSatisfy(
              field -> {
                assertThat(field.path()).isNotEmpty();
                assertThat(field.before()).isNull();
                assertThat(field.after()).doesNotStartWith("{").doesNotStartWith("[{");
              });
    }

    @Test
    void aDryRunStillRejectsInvalidInput() {
      assertThatThrownBy(
              () ->
                  services.apply(
                      ApplyRequest.of(FILES, List.of(withImage(Specs.web("a"), "nginx")))
                          .withDryRun(true)))
          .isInstanceOf(InvalidSpecException.class);
    }
  }

  @Nested
  class StoppingStartingDeleting {

    @Test
    void stoppingAServiceBumpsItsGeneration() {
      apply(FILES, Specs.web("shop"));

      StoredService stopped = services.setDesiredState("shop", DesiredState.STOPPED, 1L);

      assertThat(stopped.generation()).isEqualTo(2);
      assertThat(services.get("shop").orElseThrow().spec().desiredState())
          .isEqualTo(DesiredState.STOPPED);
    }

    @Test
    void settingTheStateItAlreadyHasChangesNothing() {
      apply(FILES, Specs.web("shop"));

      assertThat(services.setDesiredState("shop", DesiredState.RUNNING, null).generation())
          .isEqualTo(1);
    }

    @Test
    void aStaleGenerationIsAConflictAndChangesNothing() {
      apply(FILES, Specs.web("shop"));
      services.setDesiredState("shop", DesiredState.STOPPED, null);

      assertThatThrownBy(() -> services.setDesiredState("shop", DesiredState.RUNNING, 1L))
          .isInstanceOf(ConflictException.class)
          .hasMessage("service shop: expected generation 1, found 2; read again and retry");
      assertThat(services.get("shop").orElseThrow().spec().desiredState())
          .isEqualTo(DesiredState.STOPPED);
    }

    @Test
    void anUnknownServiceIsNotFound() {
      assertThatThrownBy(() -> services.setDesiredState("ghost", DesiredState.STOPPED, null))
          .isInstanceOf(NotFoundException.class)
          .hasMessage("no service named ghost");
    }

    @Test
    void deletingAServiceRemovesItsRoutesSoAnotherMayClaimThem() {
      apply(FILES, Specs.web("shop"));

      assertThat(services.delete("shop", 1L)).isTrue();

      assertThat(services.get("shop")).isEmpty();
      assertThat(apply(CLI, withName(Specs.web("shop"), "shop2")).of("shop2").kind())
          .isEqualTo(ChangeKind.CREATED);
    }

    @Test
    void deletingWithAStaleGenerationIsAConflict() {
      apply(FILES, Specs.web("shop"));
      apply(FILES, withImage(Specs.web("shop"), "r.example/web:2.0.0"));

      assertThatThrownBy(() -> services.delete("shop", 1L)).isInstanceOf(ConflictException.class);
      assertThat(services.get("shop")).isPresent();
    }

    @Test
    void deletingAnUnknownServiceSaysSo() {
      assertThat(services.delete("ghost", null)).isFalse();
    }
  }

  /** An l4 route without name, mode or hostname, as the predecessor's files have it. */
  private static ServiceSpec passthrough(String name, int port) {
    return ServiceSpec.of(
        name,
        ComponentSpec.container("server", "r.example/" + name + ":1.0.0")
            .withRoutes(List.of(new RouteSpec("default", port, RouteMode.L4, null))));
  }

  /** An l7 route without a hostname. */
  private static ServiceSpec site(String name) {
    return ServiceSpec.of(
        name,
        ComponentSpec.container("web", "r.example/" + name + ":1.0.0")
            .withRoutes(List.of(new RouteSpec("default", 443, RouteMode.L7, null))));
  }

  @Nested
  class WithADefaultDomain {

    private Registry withDomain;

    @BeforeEach
    void reopen() {
      registry.close();
      withDomain =
          Registry.open(
              RegistryConfig.at(dataDirectory)
                  .withValidation(
                      ValidationPolicy.STRICT.withDefaultDomain(DefaultDomain.of("example.net"))));
      registry = withDomain;
    }

    @Test
    void anL7RouteWithoutHostnameIsStoredWithServiceDotDomain() {
      withDomain.services().apply(ApplyRequest.of(FILES, List.of(site("blog"))));

      assertThat(
              withDomain.services().get("blog").orElseThrow().spec().components().get(0).routes())
          .containsExactly(new RouteSpec("default", 443, RouteMode.L7, "blog.example.net"));
      assertThat(
              withDomain
                  .services()
                  .apply(ApplyRequest.of(FILES, List.of(site("blog"))))
                  .of("blog")
                  .kind())
          .isEqualTo(ChangeKind.UNCHANGED);
    }

    @Test
    void theDerivedHostnameIsAClaimLikeAnyOther() {
      withDomain.services().apply(ApplyRequest.of(FILES, List.of(site("blog"))));
      ServiceSpec thief =
          ServiceSpec.of(
              "thief",
              ComponentSpec.container("web", "r.example/thief:1.0.0")
                  .withRoutes(
                      List.of(new RouteSpec("https", 443, RouteMode.L7, "blog.example.net"))));

      assertThatThrownBy(() -> withDomain.services().apply(ApplyRequest.of(CLI, List.of(thief))))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining(
              "listener port 443 for hostname blog.example.net is claimed by" + " service blog");
    }
  }

  @Test
  void withoutADefaultDomainAnL7RouteWithoutHostnameIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> apply(FILES, site("blog")))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining(
            "services[blog].components[0].routes[0].hostname: an l7 route without a hostname is"
                + " served at blog.<routes.default_domain>, and the agent setting"
                + " routes.default_domain is not set");
    assertThat(services.names()).isEmpty();
  }

  @Test
  void listReturnsEveryServiceByName() {
    apply(FILES, Specs.web("c"), Specs.web("a"));
    apply(CLI, Specs.everything("b"));

    assertThat(services.list()).extracting(StoredService::name).containsExactly("a", "b", "c");
    assertThat(services.list().get(1).spec()).isEqualTo(Specs.everything("b"));
  }

  private static ServiceSpec withImage(ServiceSpec spec, String image) {
    return spec.withComponents(
        spec.components().stream().map(component -> component.withImage(image)).toList());
  }

  private static ServiceSpec withRouteHost(ServiceSpec spec, String hostname) {
    ComponentSpec web = spec.components().get(0);
    RouteSpec route = web.routes().get(0);
    return spec.withComponents(
        List.of(
            web.withRoutes(
                List.of(new RouteSpec(route.name(), route.port(), route.mode(), hostname)))));
  }

  /** The same service under another name, keeping the route of the original name. */
  private static ServiceSpec withName(ServiceSpec spec, String name) {
    return new ServiceSpec(
        name, spec.node(), spec.desiredState(), spec.comment(), spec.components());
  }
}
