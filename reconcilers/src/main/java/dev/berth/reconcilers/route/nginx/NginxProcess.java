package dev.berth.reconcilers.route.nginx;

import dev.berth.reconcilers.route.RouteException;
import dev.berth.runtime.local.ChildProcesses;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The nginx binary, run with Berth's {@code -c} and {@code -p}: checks a configuration, starts,
 * reloads and stops the master, tells when a reload has taken effect, and what is wrong with the
 * processes of a master that died or hangs.
 *
 * <p>The master is found through the pid file, and only counts as Berth's when its command line
 * names Berth's configuration file: a stale pid file whose pid now belongs to another process is
 * never signalled. The master daemonizes with {@code setsid()}, so its workers belong to the
 * session it leads; workers it left behind when it died are found as the members of that session,
 * which the kernel keeps, pid included, while any member lives. An nginx with another pid file
 * (another prefix) is never touched.
 */
final class NginxProcess {

  private static final System.Logger LOG = System.getLogger(NginxProcess.class.getName());

  /** How often a wait looks at the processes again: short against a reload's few milliseconds. */
  private static final Duration POLL = Duration.ofMillis(20);

  private static final Path PROC = Path.of("/proc");

  /** {@code 2024/05/01 12:00:00 [emerg] 4711#4711: } before an error log line's message. */
  private static final Pattern LOG_LINE_PREFIX =
      Pattern.compile("^\\S+ \\S+ \\[emerg\\] \\d+#\\d+: (\\*\\d+ )?");

  private final NginxConfig config;

  NginxProcess(NginxConfig config) {
    this.config = config;
  }

  /**
   * Has nginx check {@code configFile} as it would load it.
   *
   * @throws RouteException with nginx's own message (which names the file and line) if it refuses
   */
  void test(Path configFile) {
    Outcome outcome = run("-t", "-q", "-c", configFile.toString(), "-p", prefix());
    if (outcome.exitCode != 0) {
      throw new RouteException("nginx refuses the configuration: " + outcome.output);
    }
  }

  /** Berth's running nginx master, if there is one. */
  Optional<ProcessHandle> master() {
    OptionalLong pid = pidFromFile();
    if (pid.isEmpty()) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid.getAsLong()).filter(NginxProcess::isLive).filter(this::isOurs);
  }

  /**
   * What keeps Berth's nginx from working, judged from its processes: empty while its master runs
   * and takes signals. Whether its listeners answer is for the caller to find out.
   */
  Optional<String> fault() {
    OptionalLong found = pidFromFile();
    if (found.isEmpty()) {
      return Optional.of("nginx is not running (no pid in " + config.pidFile() + ")");
    }
    long pid = found.getAsLong();
    Optional<ProcessHandle> master = ProcessHandle.of(pid).filter(NginxProcess::isLive);
    if (master.isEmpty()) {
      int left = remains(pid).size();
      return Optional.of(
          "nginx's master (pid "
              + pid
              + ") is gone"
              + (left == 0 ? "" : "; " + left + " of its processes are left, holding its ports"));
    }
    if (!isOurs(master.get())) {
      return Optional.of(
          "nginx's master (pid " + pid + ") is gone: that pid now belongs to another program");
    }
    if (isStopped(pid)) {
      return Optional.of(
          "nginx's master (pid " + pid + ") is stopped: it takes no signal and no reload");
    }
    return Optional.empty();
  }

  /**
   * Starts nginx with the live configuration and waits until its workers run. Whatever is left of
   * the nginx the pid file names (a master that hangs, workers of one that died, still holding the
   * ports) is killed first.
   *
   * @throws RouteException if nginx does not start (a port in use, say): its message says why
   */
  void start() {
    killRemains();
    removeStaleSockets();
    long errorLogOffset = size(config.errorLog());
    Outcome outcome = run("-c", config.configFile().toString(), "-p", prefix());
    if (outcome.exitCode != 0) {
      throw new RouteException("nginx does not start: " + outcome.output);
    }
    long deadline = System.nanoTime() + config.reloadTimeout().toNanos();
    while (true) {
      Optional<ProcessHandle> master = master();
      if (master.isPresent() && !workers(master.get()).isEmpty()) {
        LOG.log(Level.INFO, "nginx started, master pid {0}", Long.toString(master.get().pid()));
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new RouteException(
            "nginx was started but no master with workers appeared within "
                + config.reloadTimeout()
                + " (pid file "
                + config.pidFile()
                + "); its error log "
                + config.errorLog()
                + " says: "
                + errorsSince(errorLogOffset));
      }
      pause();
    }
  }

  /**
   * Has the master load the live configuration, and waits until it serves it: new workers run and
   * every old worker has stopped accepting connections (it may still finish the ones it has).
   *
   * @throws RouteException if the master rejects the configuration (a port already in use, which
   *     {@code nginx -t} cannot see) or nothing happens within the reload timeout
   */
  void reload(ProcessHandle master) {
    long errorLogOffset = size(config.errorLog());
    Set<Long> before = workers(master);
    Outcome outcome = run("-c", config.configFile().toString(), "-p", prefix(), "-s", "reload");
    if (outcome.exitCode != 0) {
      throw new RouteException("nginx -s reload fails: " + outcome.output);
    }
    long deadline = System.nanoTime() + config.reloadTimeout().toNanos();
    while (true) {
      String errors = errorsSince(errorLogOffset);
      if (!errors.isEmpty()) {
        throw new RouteException(
            "nginx rejected the reload and serves the previous routes: " + errors);
      }
      Set<Long> now = workers(master);
      boolean started = now.stream().anyMatch(pid -> !before.contains(pid));
      boolean oldStopped =
          before.stream().filter(now::contains).allMatch(NginxProcess::isShuttingDown);
      if (started && oldStopped) {
        LOG.log(Level.INFO, "nginx reloaded, master pid {0}", Long.toString(master.pid()));
        return;
      }
      if (!isLive(master)) {
        throw new RouteException(
            "nginx's master (pid " + master.pid() + ") exited during a reload");
      }
      if (System.nanoTime() > deadline) {
        throw new ReloadNotTakenException(
            "nginx's master (pid "
                + master.pid()
                + ") did not switch to new workers within "
                + config.reloadTimeout()
                + "; see "
                + config.errorLog());
      }
      pause();
    }
  }

  /**
   * Lets Berth's nginx quit gracefully, and kills it (master and workers) if it has not quit within
   * the stop timeout; a stopped master, which cannot quit, is killed at once. When its master is
   * gone, kills the workers it left.
   */
  void stop() {
    Optional<ProcessHandle> found = master();
    if (found.isEmpty()) {
      killRemains();
      return;
    }
    ProcessHandle master = found.get();
    List<ProcessHandle> all = new ArrayList<>(master.descendants().toList());
    all.add(master);
    Outcome outcome =
        isStopped(master.pid())
            ? new Outcome(-1, "its master is stopped")
            : run("-c", config.configFile().toString(), "-p", prefix(), "-s", "quit");
    if (outcome.exitCode != 0) {
      LOG.log(Level.WARNING, "nginx -s quit fails, killing nginx: {0}", outcome.output);
    } else if (awaitExit(all, config.stopTimeout())) {
      LOG.log(Level.INFO, "nginx (master pid {0}) quit", Long.toString(master.pid()));
      return;
    }
    all.forEach(ProcessHandle::destroyForcibly);
    if (!awaitExit(all, config.stopTimeout())) {
      throw new RouteException("nginx (master pid " + master.pid() + ") survives being killed");
    }
    LOG.log(Level.WARNING, "nginx (master pid {0}) was killed", Long.toString(master.pid()));
  }

  private static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (processes.stream().anyMatch(NginxProcess::isLive)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      pause();
    }
    return true;
  }

  /**
   * Kills what is left of the nginx the pid file names, and waits until it is gone. The session is
   * looked at again after each round: a master killed while forking a worker leaves a worker that
   * the round before did not see.
   *
   * @throws RouteException if some of it survives the stop timeout
   */
  private void killRemains() {
    OptionalLong pid = pidFromFile();
    if (pid.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + config.stopTimeout().toNanos();
    List<ProcessHandle> left = remains(pid.getAsLong());
    while (!left.isEmpty()) {
      left.forEach(ProcessHandle::destroyForcibly);
      LOG.log(
          Level.WARNING,
          "killed what was left of nginx (master pid {0}): pids {1}",
          Long.toString(pid.getAsLong()),
          left.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(" ")));
      Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      if (!awaitExit(left, remaining)) {
        throw new RouteException(
            "what is left of nginx (master pid " + pid.getAsLong() + ") survives being killed");
      }
      left = remains(pid.getAsLong());
    }
  }

  /**
   * The live nginx processes of the session that the master with {@code pid} led: itself if it
   * still runs, and its workers, with their master or without. None when {@code pid} runs a program
   * that is not Berth's nginx: such a pid leads no session of ours, since a session's id is not
   * reused while it has members.
   */
  private List<ProcessHandle> remains(long pid) {
    Optional<ProcessHandle> leader = ProcessHandle.of(pid).filter(NginxProcess::isLive);
    if (leader.isPresent() && !isOurs(leader.get())) {
      return List.of();
    }
    List<ProcessHandle> members = new ArrayList<>();
    try (DirectoryStream<Path> processes =
        Files.newDirectoryStream(PROC, entry -> isNumber(entry.getFileName().toString()))) {
      for (Path process : processes) {
        long member = Long.parseLong(process.getFileName().toString());
        Optional<Stat> stat = stat(member);
        if (stat.isPresent() && stat.get().session() == pid && stat.get().state() != 'Z') {
          ProcessHandle.of(member)
              .filter(p -> commandLine(p).startsWith("nginx:"))
              .ifPresent(members::add);
        }
      }
    } catch (IOException e) {
      throw new RouteException("cannot list the processes in " + PROC + ": " + e, e);
    }
    return members;
  }

  /** Stopped by a signal (SIGSTOP) or a tracer: it runs no code until it is continued. */
  private static boolean isStopped(long pid) {
    return stat(pid).map(stat -> stat.state() == 'T' || stat.state() == 't').orElse(false);
  }

  private boolean isOurs(ProcessHandle process) {
    return commandLine(process).contains(config.configFile().toString());
  }

  /** The pid in the pid file; empty without one (nginx -t leaves an empty file behind). */
  private OptionalLong pidFromFile() {
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(config.pidFile()).strip()));
    } catch (NoSuchFileException | NumberFormatException e) {
      return OptionalLong.empty();
    } catch (IOException e) {
      throw new RouteException("cannot read nginx's pid file " + config.pidFile(), e);
    }
  }

  /** A socket left by an nginx that was killed would make the next start fail to bind it. */
  private void removeStaleSockets() {
    try (DirectoryStream<Path> sockets =
        Files.newDirectoryStream(config.socketDirectory(), "*.sock")) {
      for (Path socket : sockets) {
        Files.deleteIfExists(socket);
      }
    } catch (NoSuchFileException e) {
      // nothing to remove
    } catch (IOException e) {
      throw new RouteException(
          "cannot clean nginx's socket directory " + config.socketDirectory(), e);
    }
  }

  private static Set<Long> workers(ProcessHandle master) {
    return master
        .children()
        .filter(NginxProcess::isLive)
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  /** A worker that got the quit signal has closed its listening sockets and renamed itself. */
  private static boolean isShuttingDown(long pid) {
    return ProcessHandle.of(pid)
        .map(process -> !isLive(process) || commandLine(process).contains("shutting down"))
        .orElse(true);
  }

  /** Alive and not a zombie: a master whose parent is gone waits to be reaped by init. */
  private static boolean isLive(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    // No /proc (not Linux), or the process just went: trust isAlive.
    return stat(process.pid()).map(stat -> stat.state() != 'Z').orElseGet(process::isAlive);
  }

  /** The fields of {@code /proc/<pid>/stat} that tell a process's state and session. */
  private record Stat(char state, long session) {}

  private static Optional<Stat> stat(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      // After the command's name in parentheses: state, ppid, pgrp, session, ...
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 5);
      return Optional.of(new Stat(fields[0].charAt(0), Long.parseLong(fields[3])));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean isNumber(String name) {
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }

  /** nginx rewrites its argv ("nginx: master process nginx -c ..."), so /proc is read directly. */
  private static String commandLine(ProcessHandle process) {
    try {
      byte[] raw =
          Files.readAllBytes(PROC.resolve(Long.toString(process.pid())).resolve("cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      return process.info().commandLine().orElse("");
    }
  }

  /**
   * The {@code [emerg]} lines nginx logged after {@code offset}: why a reload was refused. Without
   * their time and pids, so that the same failure reads the same each time.
   */
  private String errorsSince(long offset) {
    Path log = config.errorLog();
    try (InputStream in = Files.newInputStream(log)) {
      in.skipNBytes(Math.min(offset, Files.size(log)));
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(line -> line.contains("[emerg]"))
          .map(line -> LOG_LINE_PREFIX.matcher(line).replaceFirst("\\[emerg] "))
          .collect(Collectors.joining("\n"));
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new RouteException("cannot read nginx's error log " + log, e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new RouteException("cannot read " + file, e);
    }
  }

  private String prefix() {
    return config.prefix().toString();
  }

  /**
   * Runs nginx with {@code args}, its output (stderr, where nginx writes) in a file rather than a
   * pipe: a starting master inherits the descriptors and would hold a pipe open.
   */
  private Outcome run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(config.binary());
    command.addAll(List.of(args));
    String shown = String.join(" ", command);
    Path output = null;
    try {
      output = Files.createTempFile(config.tempDirectory(), "nginx-command", ".out");
      Process process =
          ChildProcesses.builder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      if (!process.waitFor(config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new RouteException(
            "'" + shown + "' did not finish within " + config.commandTimeout() + " and was killed");
      }
      return new Outcome(process.exitValue(), Files.readString(output).strip());
    } catch (IOException e) {
      throw new RouteException("cannot run '" + shown + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RouteException("interrupted while running '" + shown + "'", e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          LOG.log(Level.DEBUG, "cannot delete " + output, e);
        }
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RouteException("interrupted while waiting for nginx", e);
    }
  }

  private record Outcome(int exitCode, String output) {}

  /** The master did not switch to new workers in time: it hangs, and must be replaced. */
  static final class ReloadNotTakenException extends RouteException {
    private static final long serialVersionUID = 1L;

    ReloadNotTakenException(String message) {
      super(message);
    }
  }
}
