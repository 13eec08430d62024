package dev.berth.spec.status;

/**
 * How a workload ended, in words, from its exit code. Runtimes report a death by signal as 128 +
 * the signal's number, as shells and podman do (137 for SIGKILL), so such a code says "killed by
 * signal 9 (SIGKILL)", never that it exited by itself. Kubernetes reports a container's exit code
 * the same way, so a crash loop on a cluster ends in the same words as on a node.
 */
public final class Exits {

  /** Linux's signal numbers 1-31, by number; real-time signals have no fixed name. */
  private static final String[] SIGNALS = {
    null,
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGILL",
    "SIGTRAP",
    "SIGABRT",
    "SIGBUS",
    "SIGFPE",
    "SIGKILL",
    "SIGUSR1",
    "SIGSEGV",
    "SIGUSR2",
    "SIGPIPE",
    "SIGALRM",
    "SIGTERM",
    "SIGSTKFLT",
    "SIGCHLD",
    "SIGCONT",
    "SIGSTOP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGVTALRM",
    "SIGPROF",
    "SIGWINCH",
    "SIGIO",
    "SIGPWR",
    "SIGSYS"
  };

  /** The highest signal number on Linux (SIGRTMAX). */
  private static final int MAX_SIGNAL = 64;

  private Exits() {}

  /**
   * {@code exited with code 3}, {@code killed by signal 9 (SIGKILL)}, or {@code exited (exit code
   * unknown)} for a workload whose runtime could not learn it (a process adopted from an earlier
   * agent is not its child).
   */
  public static String describe(Integer exitCode) {
    if (exitCode == null) {
      return "exited (exit code unknown)";
    }
    int signal = signal(exitCode);
    if (signal > 0) {
      String name = signal < SIGNALS.length ? " (" + SIGNALS[signal] + ")" : "";
      return "killed by signal " + signal + name;
    }
    return "exited with code " + exitCode;
  }

  /** Whether the code says the workload died of a signal. */
  public static boolean killed(Integer exitCode) {
    return exitCode != null && signal(exitCode) > 0;
  }

  /**
   * The event reason for a workload the kernel killed for exceeding its memory limit, as kubelet's
   * container status says it.
   */
  public static final String OOM_KILLED = "OOMKilled";

  /**
   * How a workload the kernel's OOM killer ended: for exceeding its limit of {@code memoryMb} MiB,
   * or, with no limit (0), because the node ran out of memory.
   */
  public static String outOfMemory(long memoryMb) {
    return memoryMb > 0
        ? "killed for exceeding its memory limit of " + memoryMb + " MiB"
        : "killed by the kernel: the node ran out of memory";
  }

  /** The event reason for an ending: {@code Killed} by a signal, else {@code Exited}. */
  public static String reason(Integer exitCode) {
    return killed(exitCode) ? "Killed" : "Exited";
  }

  private static int signal(int exitCode) {
    int signal = exitCode - 128;
    return signal >= 1 && signal <= MAX_SIGNAL ? signal : 0;
  }
}
