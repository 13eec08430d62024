package dev.berth.runtime.process;

import java.nio.file.Path;
import java.util.List;

/**
 * The small {@code /bin/sh} program that stands between the agent and a workload's process, as
 * podman's conmon does for a container, so that a process outlives the agent with its log bounded,
 * its exit status kept, and its pid findable at every moment of its start.
 *
 * <p>The supervisor runs a pipeline: on the left, a subshell that writes its own pid and kernel
 * start time to {@code program.pid} and then execs the program in its place (so the pid written is
 * the program's, written before the program ran a single instruction), with stdout and stderr into
 * the pipe; when the program ends, the left side writes its exit status to {@code exit.status} (128
 * + the signal's number for a death by signal, as shells report it). On the right, the log writer.
 * The supervisor ends when both have: once the program has, and the writer has stored what the
 * program left in the pipe.
 *
 * <p>The program and its arguments are not among the supervisor's arguments, which its forked
 * shells share: they are in {@code program.sh} (one {@code exec} with each word quoted, see {@link
 * #programFile}), which the left side runs with {@code .}. So {@code ps}, {@code pgrep -f} and
 * {@code pkill -f} that match a program's command line find the program alone, never its supervisor
 * and shells; those name the workload's directory instead.
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
 * <p>Costs, per process: the supervisor and two shells it forks (the left side, which waits for the
 * program, and the writer), and the writer's {@code head}: 821 KiB of memory (PSS) for one alone,
 * 359 KiB each with 200 (their code is shared; measured by {@code bench}'s ProcessOverhead); one
 * {@code wc} and {@code keep} renames per rotation. No exec happens between the agent's spawn and
 * the program's but {@code setsid}'s and the supervisor's own.
 *
 * <p>Nothing of the workload's spec is interpreted by the shell: the program and its arguments are
 * quoted whole, and the script reads none of the variables the spec may set ({@code PATH} is the
 * agent's, for the writer's tools; no word splitting, so no {@code IFS}). The supervisor's script
 * is an argument of {@code sh -c}, not a file: a shell reads a script file as it goes, and a newer
 * agent rewriting it would corrupt the supervisors running it ({@code program.sh} is read once, at
 * the start of the run it belongs to).
 */
final class SupervisorScript {

  /** The programs the log writer runs, found in the agent's PATH. */
  static final List<String> TOOLS = List.of("stdbuf", "head", "wc", "mv", "sleep");

  /** What the supervisor is called in its arguments ({@code $0}), for whoever reads {@code ps}. */
  static final String NAME = "berth-supervisor";

  /**
   * The supervisor. Arguments: the workload's directory, the log's maximum size, how many rotated
   * logs to keep, the PATH of the writer's tools. The program's wrapper reads {@code
   * /proc/self/stat} (field 22 is the start time, see {@link dev.berth.runtime.local.ProcStat})
   * with the shell's own {@code read}, so that {@code self} is the process that then execs the
   * program.
   */
  static final String SUPERVISOR =
      """
      d=$1 m=$2 k=$3 t=$4
      l=$d/output.log
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
        n=0
        [ -e "$l" ] && size
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
      {
        (
          read -r s < /proc/self/stat
          p=${s%% *}
          s=${s##*) }
          i=3
          while [ "$i" -lt 22 ]; do s=${s#* }; i=$((i+1)); done
          printf "%s %s\n" "$p" "${s%% *}" > "$d/program.pid"
          . "$d/program.sh"
        )
        echo "$?" > "$d/exit.status"
      } 2>&1 | writer
      """;

  private SupervisorScript() {}

  /**
   * The command line that supervises the program of {@code directory}'s {@code program.sh}.
   *
   * @param toolPath where the writer finds its {@link #TOOLS}: the agent's own PATH, whatever the
   *     spec's is
   */
  static List<String> command(Path directory, long maxBytes, int keep, String toolPath) {
    return List.of(
        "/bin/sh",
        "-c",
        SUPERVISOR,
        NAME,
        directory.toAbsolutePath().toString(),
        Long.toString(maxBytes),
        Integer.toString(keep),
        toolPath);
  }

  /**
   * What {@code program.sh} holds: {@code exec} of {@code program} with {@code args}, each word in
   * single quotes (a quote inside one closes it, adds an escaped quote and opens it again), so that
   * the shell takes every word as it is, spaces, dollars, backquotes and all.
   */
  static String programFile(String program, List<String> args) {
    StringBuilder line = new StringBuilder("exec ");
    line.append(quoted(program));
    for (String arg : args) {
      line.append(' ').append(quoted(arg));
    }
    return line.append('\n').toString();
  }

  private static String quoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
