package dev.berth.runtime.podman;

import dev.berth.runtime.Mount;
import dev.berth.runtime.PortBinding;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.SecretVariable;
import dev.berth.runtime.WorkloadSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code podman run} arguments for a spec: a pure function, so that tests can read it. */
final class RunCommand {

  /** Where podman writes the new container's id; it must not exist before the run. */
  static final String CID_FILE = "cid";

  /** The spec's environment, for {@code --env-file}. */
  static final String ENV_FILE = "env";

  private RunCommand() {}

  /**
   * The arguments after {@code podman}, naming two files in {@code scratch}, a private directory of
   * this one run: {@code cid} (podman creates it) and {@code env} (see {@link #envFile}).
   *
   * <p>{@code --pull=never}: Berth decides when to pull ({@link PodmanRuntime#ensureImage}); a run
   * that reached out to a registry on its own would hang a reconcile on the network and hide a
   * missing image. {@code --cidfile}: podman writes the id there as soon as the container exists,
   * so that a run which created the container but could not start it (a port taken) can remove
   * exactly that container, never another one of the same name.
   *
   * @throws RuntimeFailure INVALID_SPEC if the spec is not a container's
   */
  static List<String> arguments(WorkloadSpec spec, Path scratch) {
    ContainerSpecRules.check(spec);
    List<String> args = new ArrayList<>();
    args.add("run");
    args.add("--detach");
    args.add("--pull=never");
    args.add("--cidfile=" + scratch.resolve(CID_FILE));
    args.add("--name=" + spec.name());
    for (Map.Entry<String, String> label : spec.labels().entrySet()) {
      args.add("--label=" + label.getKey() + "=" + label.getValue());
    }
    if (envFile(spec).isPresent()) {
      args.add("--env-file=" + scratch.resolve(ENV_FILE));
    }
    for (Map.Entry<String, String> variable : spec.env().entrySet()) {
      if (!fitsEnvFile(variable)) {
        args.add("--env=" + variable.getKey() + "=" + variable.getValue());
      }
    }
    for (Mount mount : spec.mounts()) {
      args.add(
          "--volume="
              + mount.hostPath()
              + ":"
              + mount.containerPath()
              + (mount.readOnly() ? ":ro" : ""));
    }
    for (PortBinding port : spec.ports()) {
      args.add("--publish=" + publish(port));
    }
    if (spec.network() != null) {
      args.add("--network=" + spec.network());
    }
    if (spec.user() != null) {
      args.add("--user=" + spec.user());
    }
    args.add("--restart=" + spec.restart().podmanName());
    if (spec.memoryMb() > 0) {
      args.add("--memory=" + spec.memoryMb() + "m");
    }
    if (spec.vcpus() > 0) {
      args.add("--cpus=" + spec.vcpus());
    }
    if (spec.init()) {
      args.add("--init");
    }
    // The directory the container's command starts in; unset keeps the image's own.
    if (spec.workingDirectory() != null) {
      args.add("--workdir=" + spec.workingDirectory());
    }
    args.add(spec.image());
    args.addAll(spec.args());
    return args;
  }

  /**
   * The content of the {@code env} file: one {@code KEY=VALUE} line per variable, which podman
   * takes verbatim (no quotes, no expansion). Environment values are often secrets, and a file
   * readable by the agent alone keeps them out of {@code podman run}'s command line, which every
   * local user can read in {@code /proc}. A value with a line break cannot be a line; it goes on
   * the command line as {@code --env}.
   */
  static Optional<String> envFile(WorkloadSpec spec) {
    StringBuilder lines = new StringBuilder();
    for (Map.Entry<String, String> variable : spec.env().entrySet()) {
      if (fitsEnvFile(variable)) {
        lines.append(variable.getKey()).append('=').append(variable.getValue()).append('\n');
      }
    }
    // Secrets go nowhere else: never on the command line, whatever they hold.
    for (SecretVariable secret : spec.secrets()) {
      String value = secret.requireValue();
      if (!fitsEnvFile(Map.entry(secret.name(), value))) {
        throw new RuntimeFailure(
            Reason.INVALID_SPEC,
            "podman: secret "
                + secret.name()
                + " holds a line break, which an env file cannot carry; it is never put on the"
                + " command line",
            (String) null);
      }
      lines.append(secret.name()).append('=').append(value).append('\n');
    }
    return lines.length() == 0 ? Optional.empty() : Optional.of(lines.toString());
  }

  private static boolean fitsEnvFile(Map.Entry<String, String> variable) {
    String line = variable.getKey() + "=" + variable.getValue();
    return line.indexOf('\n') < 0 && line.indexOf('\r') < 0 && !variable.getKey().startsWith("#");
  }

  /**
   * {@code [IP:]HOSTPORT:CONTAINERPORT}, an IPv6 address in brackets. No address leaves podman's
   * default (every address of the host): which addresses a port is exposed on is the spec's
   * decision, made where the spec is written, not a hidden default of this runtime.
   */
  static String publish(PortBinding port) {
    String ports = port.hostPort() + ":" + port.containerPort();
    if (port.hostIp() == null || port.hostIp().isEmpty()) {
      return ports;
    }
    String ip = port.hostIp().contains(":") ? "[" + port.hostIp() + "]" : port.hostIp();
    return ip + ":" + ports;
  }
}
