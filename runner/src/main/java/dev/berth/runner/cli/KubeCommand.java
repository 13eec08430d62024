package dev.berth.runner.cli;

import dev.berth.kubernetes.operator.ServiceExport;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.store.file.LoadResult;
import dev.berth.store.file.LoadedService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code berth kube}: the Kubernetes side of a node's declarations. */
@Command(
    name = "kube",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth kube export -f services/ | kubectl apply -f -",
      "  berth kube export -f web.toml > web.yaml",
    },
    header = "Move service definitions to a cluster.",
    description = "Commands between a node's service files and a cluster's BerthServices.",
    subcommands = {KubeCommand.Export.class})
final class KubeCommand implements Callable<Integer> {

  @Mixin HelpOption help;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "a kube command is needed: export");
  }

  /**
   * The secrets a BerthService would lose, one line each as validate prints a problem: it has no
   * way to take a variable from a node's file, and an export must not drop one silently.
   */
  static List<String> secrets(List<LoadedService> services) {
    List<String> lines = new ArrayList<>();
    for (LoadedService loaded : services) {
      List<ComponentSpec> components = loaded.spec().components();
      for (int i = 0; i < components.size(); i++) {
        if (!components.get(i).secrets().isEmpty()) {
          lines.add(
              loaded.file()
                  + ": components["
                  + i
                  + "].secrets: a BerthService takes no secrets from a node's files; on a"
                  + " cluster, remove them here and give the variables from a Kubernetes Secret");
        }
      }
    }
    return lines;
  }

  /** {@code berth kube export -f FILE|DIR}: service files as BerthService YAML, offline. */
  @Command(
      name = "export",
      footerHeading = "%nExamples:%n",
      footer = {
        "  berth kube export -f services/ > berthservices.yaml",
        "  berth kube export -f web.toml | kubectl apply -f -",
      },
      header = "Print service-definition files as BerthService YAML, offline.",
      description = {
        "Reads service-definition files with the rules apply uses and prints one BerthService"
            + " document per service on stdout, for `kubectl apply -f -`.",
        "Problems are printed as validate prints them, and nothing is printed on stdout: exit 1.",
        "It runs from berth-operator.jar, the cluster mode's build; berth.jar, the node's, says so"
            + " and exits 1."
      })
  static final class Export implements Callable<Integer> {

    @Mixin HelpOption help;

    @Spec CommandSpec spec;

    @Option(
        names = {"-f", "--file"},
        required = true,
        paramLabel = "FILE|DIR",
        description =
            "A service-definition file, or a directory: every *.toml file directly in it.")
    Path file;

    @Override
    public Integer call() {
      if (!ClusterMode.available()) {
        spec.commandLine().getErr().println(ClusterMode.missing(spec.qualifiedName()));
        spec.commandLine().getErr().flush();
        return ExitCodes.FAILED;
      }
      LoadResult result = DefinitionFiles.load(file, spec.commandLine().getErr());
      if (!result.ok()) {
        spec.commandLine().getErr().println(DefinitionFiles.failure(result, file));
        spec.commandLine().getErr().flush();
        return ExitCodes.FAILED;
      }
      List<String> dropped = secrets(result.services());
      if (!dropped.isEmpty()) {
        dropped.forEach(spec.commandLine().getErr()::println);
        spec.commandLine()
            .getErr()
            .println(
                "error: " + Formats.count(dropped.size(), "problem", "problems") + " in " + file);
        spec.commandLine().getErr().flush();
        return ExitCodes.FAILED;
      }
      spec.commandLine()
          .getOut()
          .print(ServiceExport.yaml(result.services().stream().map(s -> s.spec()).toList()));
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }
}
