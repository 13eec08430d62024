package dev.berth.runtime.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Looks through the host's process table for the processes of one workload directory: a launch
 * wrapper or a QEMU names its workload's directory (or a file in it) among its arguments, so a new
 * agent finds what a crash kept the old one from recording. A scan reads every process's command
 * line (a few milliseconds with a few hundred processes), so it is for recovery only, never a
 * regular path. Linux only ({@code /proc}); elsewhere it finds nothing.
 */
public final class ProcessTable {

  private static final Path PROC = Path.of("/proc");

  private ProcessTable() {}

  /** The live processes one of whose arguments is {@code directory} or a path under it. */
  public static List<ProcessHandle> naming(Path directory) {
    String exact = directory.toAbsolutePath().toString();
    String under = exact + "/";
    List<ProcessHandle> found = new ArrayList<>();
    for (long pid : pids()) {
      if (pid == ProcessHandle.current().pid()) {
        continue;
      }
      for (String argument : arguments(pid)) {
        if (argument.equals(exact) || argument.startsWith(under)) {
          ProcessHandle.of(pid).filter(ProcessIdentity::running).ifPresent(found::add);
          break;
        }
      }
    }
    return found;
  }

  /** The ones of {@code processes} whose parent is not among them: the top of each tree. */
  public static List<ProcessHandle> tops(List<ProcessHandle> processes) {
    List<Long> pids = processes.stream().map(ProcessHandle::pid).toList();
    return processes.stream()
        .filter(p -> ProcStat.of(p.pid()).map(s -> !pids.contains(s.parent())).orElse(false))
        .toList();
  }

  private static List<Long> pids() {
    try (Stream<Path> entries = Files.list(PROC)) {
      return entries
          .map(entry -> entry.getFileName().toString())
          .filter(name -> !name.isEmpty() && name.chars().allMatch(Character::isDigit))
          .map(Long::parseLong)
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  /** Its arguments as the kernel holds them, NUL-separated (no quoting to undo); none if gone. */
  private static List<String> arguments(long pid) {
    try {
      byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
      List<String> arguments = new ArrayList<>();
      int start = 0;
      for (int i = 0; i <= raw.length; i++) {
        if (i == raw.length || raw[i] == 0) {
          if (i > start) {
            arguments.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
          }
          start = i + 1;
        }
      }
      return arguments;
    } catch (IOException e) {
      return List.of();
    }
  }
}
