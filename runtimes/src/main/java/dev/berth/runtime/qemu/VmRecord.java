package dev.berth.runtime.qemu;

import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.local.ProcessIdentity;
import java.time.Instant;
import java.util.Objects;

/**
 * What a VM's {@code state.json} holds: everything a new agent needs to find the VM's QEMU again
 * and to start it anew.
 *
 * @param id the VM's id, also its directory's name
 * @param spec the spec it was created from, whole: a later start boots exactly the same VM
 * @param createdAt when it was created
 * @param process the QEMU process of the current or last run; null until the first run started, and
 *     while a start is under way (QEMU's pid file then tells)
 * @param startedAt when the current or last run started; null until then
 * @param exitedAt when the last run was seen to end; null while it runs or before any run
 */
record VmRecord(
    String id,
    WorkloadSpec spec,
    Instant createdAt,
    ProcessIdentity process,
    Instant startedAt,
    Instant exitedAt) {

  VmRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  static VmRecord created(String id, WorkloadSpec spec, Instant at) {
    return new VmRecord(id, spec, at, null, null, null);
  }

  /**
   * A start under way: no run is current, so that a crash from here on leaves a VM that is
   * recognisably being started, and the next agent looks for the QEMU the start left.
   */
  VmRecord launching() {
    return new VmRecord(id, spec, createdAt, null, null, null);
  }

  VmRecord started(ProcessIdentity run, Instant at) {
    return new VmRecord(id, spec, createdAt, run, at, null);
  }

  VmRecord exited(Instant at) {
    return new VmRecord(id, spec, createdAt, process, startedAt, at);
  }

  /** Whether the end of the last run is already known (and was told to listeners). */
  boolean exitSeen() {
    return exitedAt != null;
  }
}
