package dev.berth.runtime.process;

import dev.berth.runtime.local.LogFile;
import dev.berth.runtime.local.StateDirectory;
import dev.berth.runtime.local.StateFile;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One workload's directory under the state root, named by its id:
 *
 * <pre>
 * ROOT/proc-1a2b3c4d5e6f/
 *   state.json       the {@link ProcessRecord}, replaced atomically
 *   output.log       stdout and stderr, appended by the process itself
 *   output.log.1..N  rotated output
 * </pre>
 *
 * It is also the process's working directory unless the spec names another one, so removing the
 * workload removes what it left there.
 */
record WorkloadDirectory(Path path) {

  static final String STATE_FILE = "state.json";
  static final String OUTPUT_LOG = "output.log";

  Path stateFile() {
    return path.resolve(STATE_FILE);
  }

  LogFile output() {
    return new LogFile(path.resolve(OUTPUT_LOG));
  }

  /** The record, if the directory holds a readable one (a half-created directory holds none). */
  Optional<ProcessRecord> read() {
    return StateFile.read(stateFile(), ProcessRecord.class);
  }

  void write(ProcessRecord record) {
    StateFile.write(stateFile(), record);
  }

  /** Deletes the directory and everything in it; nothing if it is already gone. */
  void delete() {
    StateDirectory.delete(path, stateFile());
  }
}
