package dev.berth.runtime.qemu;

import dev.berth.runtime.local.LocalWorkloadRuntime;
import dev.berth.runtime.local.LogFile;
import dev.berth.runtime.local.StateFile;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One VM's directory under the state root, named by its id:
 *
 * <pre>
 * ROOT/vm-1a2b3c4d5e6f/
 *   state.json         the {@link VmRecord}, replaced atomically
 *   qemu.pid           written by QEMU itself (-pidfile)
 *   qmp.sock           QEMU's QMP control socket
 *   console.log        the guest's serial console, appended by QEMU
 *   console.log.1..N   rotated console output
 *   qemu.log           QEMU's own messages while it starts (why it refused to)
 * </pre>
 */
record VmDirectory(Path path) {

  static final String PID_FILE = "qemu.pid";
  static final String QMP_SOCKET = "qmp.sock";
  static final String CONSOLE_LOG = "console.log";
  static final String QEMU_LOG = "qemu.log";

  Path stateFile() {
    return path.resolve(LocalWorkloadRuntime.STATE_FILE);
  }

  Path pidFile() {
    return path.resolve(PID_FILE);
  }

  Path qmpSocket() {
    return path.resolve(QMP_SOCKET);
  }

  Path consoleLog() {
    return path.resolve(CONSOLE_LOG);
  }

  LogFile console() {
    return new LogFile(consoleLog());
  }

  Path qemuLog() {
    return path.resolve(QEMU_LOG);
  }

  /** The record, if the directory holds a readable one (a half-created directory holds none). */
  Optional<VmRecord> read() {
    return StateFile.read(stateFile(), VmRecord.class);
  }

  void write(VmRecord record) {
    StateFile.write(stateFile(), record);
  }
}
