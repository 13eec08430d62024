package dev.berth.runtime.qemu;

import dev.berth.runtime.WorkloadState;

/**
 * Maps the {@code status} of QMP's {@code query-status} (QEMU's RunState) onto Berth's states. It
 * is only asked while the QEMU process lives: a QEMU that is gone is EXITED without asking.
 */
final class QmpRunState {

  private QmpRunState() {}

  static WorkloadState toWorkloadState(String status) {
    if (status == null) {
      return WorkloadState.UNKNOWN;
    }
    return switch (status) {
      case "running" -> WorkloadState.RUNNING;
      // The VM exists and keeps its memory, but its vCPUs do not run: stopped by a person or a
      // debugger, suspended by the guest, halted on a disk error, or busy saving or migrating.
      case "paused",
          "suspended",
          "debug",
          "io-error",
          "watchdog",
          "save-vm",
          "restore-vm",
          "finish-migrate",
          "postmigrate",
          "colo" ->
          WorkloadState.PAUSED;
      // Not started yet: waiting for `cont` (-S) or for an incoming migration.
      case "prelaunch", "inmigrate" -> WorkloadState.CREATED;
      // The guest is over and only the QEMU process lingers (with -no-shutdown, or a panicked
      // guest kept for inspection): nothing runs.
      case "shutdown", "guest-panicked", "internal-error" -> WorkloadState.EXITED;
      default -> WorkloadState.UNKNOWN;
    };
  }
}
