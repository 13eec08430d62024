package dev.berth.runtime.local;

import java.util.List;
import java.util.Map;

/**
 * Where Berth's runtimes and proxies make the processes they start (workloads' supervisors, podman,
 * QEMU, nginx): a {@link ProcessBuilder} whose environment is the agent's without what systemd
 * meant for the agent alone.
 *
 * <p>Under {@code Type=notify} systemd gives the agent {@code NOTIFY_SOCKET}; a child that inherits
 * it can tell systemd it is ready, or that it is the unit's main process (podman does, by default,
 * for its conmon: {@code --sdnotify=container}). Under socket activation {@code LISTEN_FDS} and
 * {@code LISTEN_PID} name descriptors that are not the child's, and the watchdog's variables ask
 * for keep-alives the child would never send. None of them describes a child, so none is inherited.
 */
public final class ChildProcesses {

  /**
   * The variables of the service manager's protocols (sd_notify, socket activation, the watchdog)
   * that no child inherits.
   */
  public static final List<String> NOT_INHERITED =
      List.of(
          "NOTIFY_SOCKET",
          "LISTEN_FDS",
          "LISTEN_PID",
          "LISTEN_FDNAMES",
          "WATCHDOG_USEC",
          "WATCHDOG_PID");

  private ChildProcesses() {}

  /** A builder for {@code command} with the agent's environment, less {@link #NOT_INHERITED}. */
  public static ProcessBuilder builder(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command);
    clean(builder.environment());
    return builder;
  }

  /** Removes {@link #NOT_INHERITED} from {@code environment}; leaves everything else. */
  public static void clean(Map<String, String> environment) {
    NOT_INHERITED.forEach(environment::remove);
  }
}
