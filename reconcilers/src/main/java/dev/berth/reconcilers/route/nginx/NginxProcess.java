package dev.berth.reconcilers.route.nginx;

import dev.berth.reconcilers.route.RouteException;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The nginx binary, run with Berth's {@code -c} and {@code -p}: checks a configuration, starts,
 * reloads and stops the master, and tells when a reload has taken effect.
 *
 * <p>The master is found through the pid file, and only counts as Berth's when its command line
 * names Berth's configuration file: a stale pid file whose pid now belongs to another process is
 * never signalled.
 */
final class NginxProcess {

  private static final System.Logger LOG = System.getLogger(NginxProcess.class.getName());

  /** How often a wait looks at the processes again: short against a reload's few milliseconds. */
  private static final Duration POLL = Duration.ofMillis(20);

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
    long pid;
    try {
      pid = Long.parseLong(Files.readString(config.pidFile()).strip());
    } catch (NoSuchFileException | NumberFormatException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new RouteException("cannot read nginx's pid file " + config.pidFile(), e);
    }
    return ProcessHandle.of(pid)
        .filter(NginxProcess::isLive)
        .filter(process -> commandLine(process).contains(config.configFile().toString()));
  }

  /**
   * Starts nginx with the live configuration and waits until its workers run.
   *
   * @throws RouteException if nginx does not start (a port in use, say): its message says why
   */
  void start() {
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
        LOG.log(Level.INFO, "nginx started, master pid {0}", master.get().pid());
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
        LOG.log(Level.INFO, "nginx reloaded, master pid {0}", master.pid());
        return;
      }
      if (!isLive(master)) {
        throw new RouteException(
            "nginx's master (pid " + master.pid() + ") exited during a reload");
      }
      if (System.nanoTime() > deadline) {
        throw new RouteException(
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
   * the stop timeout. Does nothing when it is not running.
   */
  void stop() {
    Optional<ProcessHandle> found = master();
    if (found.isEmpty()) {
      return;
    }
    ProcessHandle master = found.get();
    List<ProcessHandle> all = new ArrayList<>(master.descendants().toList());
    all.add(master);
    Outcome outcome = run("-c", config.configFile().toString(), "-p", prefix(), "-s", "quit");
    if (outcome.exitCode != 0) {
      LOG.log(Level.WARNING, "nginx -s quit fails, killing nginx: {0}", outcome.output);
    } else if (awaitExit(all, config.stopTimeout())) {
      LOG.log(Level.INFO, "nginx (master pid {0}) quit", master.pid());
      return;
    }
    all.forEach(ProcessHandle::destroyForcibly);
    if (!awaitExit(all, config.stopTimeout())) {
      throw new RouteException("nginx (master pid " + master.pid() + ") survives being killed");
    }
    LOG.log(Level.WARNING, "nginx (master pid {0}) was killed", master.pid());
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
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      int end = stat.lastIndexOf(')');
      return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
    } catch (IOException e) {
      // No /proc (not Linux), or the process just went: trust isAlive.
      return process.isAlive();
    }
  }

  /** nginx rewrites its argv ("nginx: master process nginx -c ..."), so /proc is read directly. */
  private static String commandLine(ProcessHandle process) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      return process.info().commandLine().orElse("");
    }
  }

  /** The {@code [emerg]} lines nginx logged after {@code offset}: why a reload was refused. */
  private String errorsSince(long offset) {
    Path log = config.errorLog();
    try (InputStream in = Files.newInputStream(log)) {
      in.skipNBytes(Math.min(offset, Files.size(log)));
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(line -> line.contains("[emerg]"))
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
          new ProcessBuilder(command)
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
}
