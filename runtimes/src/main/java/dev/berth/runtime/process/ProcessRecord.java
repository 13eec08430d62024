package dev.berth.runtime.process;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.berth.runtime.PortBinding;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.local.ProcessIdentity;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a workload's {@code state.json} holds: enough to show it, to start it again and to find its
 * process after the agent restarts. Unknown fields are ignored so that an older agent can still
 * read what a newer one wrote.
 *
 * @param id the runtime's id, also the name of the workload's directory
 * @param name the workload's name
 * @param labels its labels
 * @param executable the program as the spec gave it (a path, or a name looked up in PATH)
 * @param args its arguments
 * @param env the spec's environment (the agent's own environment and the ports come on top)
 * @param workingDirectory where it starts, or null for the workload's directory
 * @param ports its ports
 * @param createdAt when it was created
 * @param startedAt when it was last started, or null if never
 * @param identity the program of the last start, or null if never started or while a start is under
 *     way (its supervisor's {@code program.pid} then tells)
 * @param exitedAt when the last run was seen to end, or null if not (yet) seen
 * @param exitCode the last run's exit code (128 + the signal's number if a signal ended it), or
 *     null if unknown
 * @param supervisor the last start's {@link SupervisorScript supervisor}, or null if unknown (a
 *     process started by a Berth that had none: its program is its own, its exit code unknown)
 * @param memoryMb its memory limit, MiB, or 0 for none (see {@link WorkloadCgroup})
 * @param vcpus its CPU limit, in CPUs, or 0 for none
 * @param oomKillsAtStart the kernel's count of OOM kills in its cgroup when the last run started,
 *     or null if it has none (no memory limit) or the kernel does not count them
 * @param oomKilled whether the last run ended with the kernel killing it for exceeding its memory
 *     limit (the count rose during it); false while it runs
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ProcessRecord(
    String id,
    String name,
    Map<String, String> labels,
    String executable,
    List<String> args,
    Map<String, String> env,
    String workingDirectory,
    List<PortBinding> ports,
    Instant createdAt,
    Instant startedAt,
    ProcessIdentity identity,
    Instant exitedAt,
    Integer exitCode,
    ProcessIdentity supervisor,
    long memoryMb,
    int vcpus,
    Long oomKillsAtStart,
    boolean oomKilled) {

  ProcessRecord {
    labels = ordered(labels);
    args = args == null ? List.of() : List.copyOf(args);
    env = ordered(env);
    ports = ports == null ? List.of() : List.copyOf(ports);
  }

  /** A workload as {@code spec} declares it, never started yet. */
  static ProcessRecord created(String id, WorkloadSpec spec, Instant at) {
    return new ProcessRecord(
        id,
        spec.name(),
        spec.labels(),
        spec.executable(),
        spec.args(),
        spec.env(),
        spec.workingDirectory(),
        spec.ports(),
        at,
        null,
        null,
        null,
        null,
        null,
        spec.memoryMb(),
        spec.vcpus(),
        null,
        false);
  }

  private static Map<String, String> ordered(Map<String, String> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /**
   * A start under way: no run is current, so that a crash from here on leaves a workload that is
   * recognisably being started, and the next agent looks for what the start left.
   */
  ProcessRecord launching(Long oomKills) {
    return new ProcessRecord(
        id,
        name,
        labels,
        executable,
        args,
        env,
        workingDirectory,
        ports,
        createdAt,
        null,
        null,
        null,
        null,
        null,
        memoryMb,
        vcpus,
        oomKills,
        false);
  }

  /** A new run: a new process, and nothing known yet about how it ends. */
  ProcessRecord started(ProcessIdentity program, ProcessIdentity supervisedBy, Instant at) {
    return new ProcessRecord(
        id,
        name,
        labels,
        executable,
        args,
        env,
        workingDirectory,
        ports,
        createdAt,
        at,
        program,
        null,
        null,
        supervisedBy,
        memoryMb,
        vcpus,
        oomKillsAtStart,
        false);
  }

  ProcessRecord exited(Integer code, boolean killedForMemory, Instant at) {
    return new ProcessRecord(
        id,
        name,
        labels,
        executable,
        args,
        env,
        workingDirectory,
        ports,
        createdAt,
        startedAt,
        identity,
        at,
        code,
        supervisor,
        memoryMb,
        vcpus,
        oomKillsAtStart,
        killedForMemory);
  }

  /** Whether the last run is known to have ended; if not, only its process can tell. */
  boolean exitSeen() {
    return exitedAt != null;
  }
}
