package dev.berth.runtime.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The small {@code /bin/sh} program that stands between the agent and a workload's process, as
 * podman's conmon does for a container, so that a process outlives the agent with its log bounded,
 * its exit status kept, and its pid findable at every moment of its start.
 *
 * <p>The supervisor:
 *
 * <ol>
 *   <li>starts the log writer on a FIFO in the workload's directory ({@code output.pipe}) and
 *       leaves it running in the background;
 *   <li>runs the program in the foreground with stdout and stderr on that FIFO, through a second
 *       {@code sh} that writes its own pid and kernel start time to {@code program.pid} and then
 *       execs the program in place: the pid it wrote is the program's, written before the program
 *       ran a single instruction;
 *   <li>when the program ends, writes its exit status to {@code exit.status} (128 + the signal's
 *       number for a death by signal, as shells report it), waits for the writer to drain what the
 *       program left in the pipe, and exits with the same status.
 * </ol>
 *
 * <p>The log writer copies the pipe into {@code output.log} with {@code head -c}, never past {@code
 * maxBytes}, then rotates by renaming ({@code output.log} to {@code output.log.1} ... {@code
 * output.log.KEEP}, the oldest dropped; with KEEP 0 the log is emptied) and goes on. A program that
 * writes faster than that waits on the full pipe: the log files never hold more than {@code
 * maxBytes * (keep + 1)} bytes, whatever the rate, and the program is slowed rather than its log
 * dropped. The tools are GNU coreutils' ({@link #TOOLS}): GNU {@code head -c} reads no more than it
 * is to write, so nothing is lost at a rotation, and {@code stdbuf -o0} makes it write each read at
 * once, so that a line is in the log as soon as the program wrote it. New log files are 0640.
 *
 * <p>Nothing here is interpreted from the workload's spec: the program and its arguments are passed
 * as arguments, never as script text, and the scripts read none of the variables the spec may set
 * ({@code PATH} is the agent's for the writer's tools). The script text is an argument of {@code sh
 * -c}, not a file: a shell reads a script file as it goes, and a newer agent rewriting it would
 * corrupt the supervisors running it.
 */
final class SupervisorScript {

  /** The programs the supervisor and its log writer run, found in the agent's PATH. */
  static final List<String> TOOLS = List.of("mkfifo", "stdbuf", "head", "wc", "mv", "sleep");

  /** What the supervisor is called in its arguments ({@code $0}), for whoever reads {@code ps}. */
  static final String NAME = "berth-supervisor";

  /**
   * The supervisor. Arguments: the workload's directory, the log's maximum size, how many rotated
   * logs to keep, the PATH of the writer's tools, the program's wrapper ({@link #PROGRAM}), then
   * the program and its arguments.
   */
  static final String SUPERVISOR =
      """
      d=$1 m=$2 k=$3 t=$4 r=$5
      shift 5
      l=$d/output.log
      p=$d/output.pipe
      size() { n=$(wc -c 2>/dev/null < "$l"); n=$((${n:-0})); }
      rotate() {
        if [ "$k" -eq 0 ]; then : > "$l"; return; fi
        i=$k
        while [ "$i" -gt 1 ]; do
          [ -e "$l.$((i-1))" ] && mv -f "$l.$((i-1))" "$l.$i"
          i=$((i-1))
        done
        mv -f "$l" "$l.1"
      }
      writer() {
        PATH=$t
        umask 027
        size
        while :; do
          if [ "$n" -ge "$m" ]; then rotate; n=0; fi
          if stdbuf -o0 head -c "$((m-n))" >> "$l"; then
            size
            [ "$n" -lt "$m" ] && return
          else
            sleep 1
            size
          fi
        done
      }
      [ -p "$p" ] || PATH=$t mkfifo -m 600 "$p" || exit 125
      writer < "$p" &
      /bin/sh -c "$r" "$d" "$@" > "$p" 2>&1
      s=$?
      echo "$s" > "$d/exit.status"
      wait
      exit "$s"
      """;

  /**
   * Run as {@code sh -c PROGRAM DIRECTORY PROGRAM ARGS...}: writes "PID STARTTICKS" (field 22 of
   * {@code /proc/PID/stat}, see {@link dev.berth.runtime.local.ProcStat}) to {@code program.pid},
   * then execs the program in its place. No word splitting, so no dependence on the IFS a spec may
   * set.
   */
  static final String PROGRAM =
      """
      read -r s < /proc/$$/stat
      s=${s##*) }
      i=1
      while [ "$i" -lt 20 ]; do s=${s#* }; i=$((i+1)); done
      printf "%s %s\\n" "$$" "${s%% *}" > "$0/program.pid"
      exec "$@"
      """;

  private SupervisorScript() {}

  /**
   * The command line that supervises {@code program} with {@code args} in {@code directory}.
   *
   * @param toolPath where the writer finds {@code head}, {@code wc}, {@code mv}, {@code mkfifo} and
   *     {@code sleep}: the agent's own PATH, whatever the spec's is
   */
  static List<String> command(
      Path directory, long maxBytes, int keep, String toolPath, String program, List<String> args) {
    List<String> command = new ArrayList<>();
    command.addAll(List.of("/bin/sh", "-c", SUPERVISOR, NAME));
    command.add(directory.toAbsolutePath().toString());
    command.add(Long.toString(maxBytes));
    command.add(Integer.toString(keep));
    command.add(toolPath);
    command.add(PROGRAM);
    command.add(program);
    command.addAll(args);
    return command;
  }
}
