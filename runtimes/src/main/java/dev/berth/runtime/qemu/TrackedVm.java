package dev.berth.runtime.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.runtime.WorkloadState;
import dev.berth.runtime.local.LogFile;
import dev.berth.runtime.local.ProcessIdentity;
import dev.berth.runtime.local.TrackedWorkload;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One VM as this runtime instance knows it: its directory and its record. Locks and invariants as
 * {@link TrackedWorkload} says (its operations lock also covers rotating the console log), and a
 * third: {@code qmpLock} keeps this instance to one QMP connection per VM at a time, as QEMU serves
 * one client at a time and would keep a second one waiting.
 */
final class TrackedVm extends TrackedWorkload {

  private final Object qmpLock = new Object();
  private final VmDirectory directory;
  private VmRecord record;

  TrackedVm(VmDirectory directory, VmRecord record) {
    super(directory.path());
    this.directory = directory;
    this.record = record;
  }

  @Override
  public String name() {
    return record().spec().name();
  }

  @Override
  public Map<String, String> labels() {
    return record().spec().labels();
  }

  /** The guest's serial console. */
  @Override
  public LogFile log() {
    return directory.console();
  }

  VmDirectory directory() {
    return directory;
  }

  synchronized VmRecord record() {
    return record;
  }

  /**
   * Records, on disk first, that a start is under way: from here on a crash leaves a VM whose next
   * agent looks for the QEMU the start left, never one whose last run seems current.
   */
  synchronized void launching() {
    VmRecord next = record.launching();
    directory.write(next);
    record = next;
  }

  /** Records a new run, on disk first: a crash right after must still find this QEMU. */
  synchronized void started(ProcessIdentity process, Instant at) {
    VmRecord next = record.started(process, at);
    directory.write(next);
    record = next;
  }

  /**
   * Records that the run of {@code process} ended, unless that is known already, a later run
   * replaced it, or the VM was removed (an exit seen late must not bring its file back).
   *
   * @return whether this call recorded it, and so should tell the listeners
   */
  synchronized boolean exited(ProcessIdentity process, Instant at) {
    if (removed() || record.exitSeen() || !process.equals(record.process())) {
      return false;
    }
    VmRecord next = record.exited(at);
    directory.write(next);
    record = next;
    return true;
  }

  /** The QEMU process of the current run, if it still runs. */
  @Override
  public boolean running() {
    VmRecord now = record();
    return now.process() != null && !now.exitSeen() && now.process().alive();
  }

  /**
   * The state as observed now: the record and the process table say whether QEMU runs, QMP what its
   * guest is doing.
   */
  WorkloadState state(Duration qmpTimeout) {
    if (record().process() == null) {
      return WorkloadState.CREATED;
    }
    if (!running()) {
      return WorkloadState.EXITED;
    }
    try {
      return QmpRunState.toWorkloadState(qmp("query-status", qmpTimeout).path("status").asText());
    } catch (IOException e) {
      // Exited between the two looks, or alive but deaf (stopped, wedged): tell them apart.
      return running() ? WorkloadState.UNKNOWN : WorkloadState.EXITED;
    }
  }

  /** Runs one QMP command on a connection of its own. */
  JsonNode qmp(String command, Duration timeout) throws IOException {
    synchronized (qmpLock) {
      try (QmpClient client = QmpClient.connect(directory.qmpSocket(), timeout)) {
        return client.execute(command);
      }
    }
  }
}
