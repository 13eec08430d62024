package dev.berth.runtime.process;

import java.nio.file.Path;
import java.util.ArrayList;
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
 * <p>A program with limits joins its cgroups before it is exec'd: the left side writes its own pid
 * into each {@code cgroup.procs} file among the supervisor's arguments (see {@link WorkloadCgroup})
 * before it writes {@code program.pid}, so that no instruction of the program runs outside its
 * limits. If it cannot join one, it says so in {@code launch.log} and ends without running the
 * program (exit status 125, and no {@code program.pid}: the launch fails). Only the program and
 * what it starts are in the cgroups, never the supervisor or its log writer, so that an
 * out-of-memory kill ends the program and the supervisor still records its exit status.
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
 * agent's, for the writer's tools; no word splitting, so no {@code IFS}). Its own variables are
 * named {@code __berth_*}, so that they change no variable of the environment the program is to see
 * (a spec that sets one of those names does not get it). The supervisor's script is an argument of
 * {@code sh -c}, not a file: a shell reads a script file as it goes, and a newer agent rewriting it
 * would corrupt the supervisors running it ({@code program.sh} is read once, at the start of the
 * run it belongs to).
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
      __berth_dir=$1 __berth_max=$2 __berth_keep=$3 __berth_tools=$4
      shift 4
      __berth_log=$__berth_dir/output.log
      size() { __berth_size=$(wc -c 2>/dev/null < "$__berth_log"); __berth_size=$((${__berth_size:-0})); }
      rotate() {
        if [ "$__berth_keep" -eq 0 ]; then : > "$__berth_log"; return; fi
        __berth_i=$__berth_keep
        while [ "$__berth_i" -gt 1 ]; do
          [ -e "$__berth_log.$((__berth_i-1))" ] && mv -f "$__berth_log.$((__berth_i-1))" "$__berth_log.$__berth_i"
          __berth_i=$((__berth_i-1))
        done
        mv -f "$__berth_log" "$__berth_log.1"
      }
      writer() {
        PATH=$__berth_tools
        umask 027
        __berth_size=0
        [ -e "$__berth_log" ] && size
        while :; do
          if [ "$__berth_size" -ge "$__berth_max" ]; then rotate; __berth_size=0; fi
          if stdbuf -o0 head -c "$((__berth_max-__berth_size))" >> "$__berth_log"; then
            size
            [ "$__berth_size" -lt "$__berth_max" ] && return
          else
            sleep 1
            size
          fi
        done
      }
      {
        (
          IFS= read -r __berth_stat < /proc/self/stat
          __berth_pid=${__berth_stat%% *}
          __berth_stat=${__berth_stat##*) }
          __berth_i=3
          while [ "$__berth_i" -lt 22 ]; do __berth_stat=${__berth_stat#* }; __berth_i=$((__berth_i+1)); done
          for __berth_procs do
            { echo "$__berth_pid" > "$__berth_procs"; } 2>> "$__berth_dir/launch.log" || {
              echo "berth-supervisor: cannot join the cgroup of $__berth_procs" >> "$__berth_dir/launch.log"
              exit 125
            }
          done
          printf "%s %s\n" "$__berth_pid" "${__berth_stat%% *}" > "$__berth_dir/program.pid"
          . "$__berth_dir/program.sh"
        )
        echo "$?" > "$__berth_dir/exit.status"
      } 2>&1 | writer
      """;

  private SupervisorScript() {}

  /**
   * The command line that supervises the program of {@code directory}'s {@code program.sh}.
   *
   * @param toolPath where the writer finds its {@link #TOOLS}: the agent's own PATH, whatever the
   *     spec's is
   * @param cgroupProcs the {@code cgroup.procs} files the program joins before it is exec'd (see
   *     {@link WorkloadCgroup}); none for a program without limits
   */
  static List<String> command(
      Path directory, long maxBytes, int keep, String toolPath, List<Path> cgroupProcs) {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "/bin/sh",
            "-c",
            SUPERVISOR,
            NAME,
            directory.toAbsolutePath().toString(),
            Long.toString(maxBytes),
            Integer.toString(keep),
            toolPath));
    cgroupProcs.forEach(procs -> command.add(procs.toAbsolutePath().toString()));
    return command;
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
