package dev.berth.reconcilers.route.nginx;

import dev.berth.reconcilers.route.ProxyHealth;
import dev.berth.reconcilers.route.RouteBinding;
import dev.berth.reconcilers.route.RouteException;
import dev.berth.reconcilers.route.RouteRegistrar;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Routes served by an nginx that Berth configures completely: it renders the whole {@code
 * nginx.conf} from the route set (see {@link NginxConfigRenderer}), has nginx check it, puts it in
 * place atomically and reloads nginx, starting it if it is not running.
 *
 * <p>The rendered text is the whole state: if it equals the configuration on disk and nginx runs,
 * nothing is done. A set nginx refuses never reaches the live file, so nginx keeps serving the
 * previous set, and a reload the master rejects (a port in use) puts the previous file back.
 *
 * <p>{@link #check()} looks at nginx: its master must run and take signals (a stopped one, or one
 * that did not take the last reload, hangs), and each listener must answer (see {@link
 * ListenerCheck}). When nginx is found down and starting it is Berth's job, the next apply replaces
 * it: what is left of it, workers of a dead master holding the ports included, is killed, and a new
 * nginx starts with the routes (or, if they are refused, with the previous ones).
 *
 * <p>Applies are serialized: one nginx configuration, one writer.
 */
public final class NginxRegistrar implements RouteRegistrar, AutoCloseable {

  private static final System.Logger LOG = System.getLogger(NginxRegistrar.class.getName());

  private final NginxConfig config;
  private final NginxProcess nginx;
  private final Object lock = new Object();

  /** Guarded by {@link #lock} for writes; read without it. */
  private volatile Set<RouteBinding> current = Set.of();

  /** Guarded by {@link #lock}: whether this registrar started the nginx it drives. */
  private boolean started;

  /** Guarded by {@link #lock}: whether the running nginx is known to serve the file on disk. */
  private boolean confirmed;

  /** Why the last check found nginx down, or null: the next apply replaces it. */
  private volatile String fault;

  /** Why the running master is known to hang (it did not take a reload), or null. */
  private volatile String hung;

  /** A registrar that runs nginx as {@code config} says. */
  public NginxRegistrar(NginxConfig config) {
    this.config = config;
    this.nginx = new NginxProcess(config);
  }

  @Override
  public String name() {
    return "nginx";
  }

  @Override
  public boolean apply(Set<RouteBinding> routes) {
    Set<RouteBinding> wanted = Set.copyOf(routes);
    synchronized (lock) {
      createDirectories();
      String text = renderer().render(wanted);
      Optional<String> live = read(config.configFile());
      Optional<ProcessHandle> master = nginx.master();
      // A master found hung is replaced as a dead one is, when starting nginx is Berth's job.
      boolean restart =
          config.startIfNotRunning() && (master.isEmpty() || fault != null || hung != null);
      boolean unchanged = live.isPresent() && live.get().equals(text);
      // Without a running nginx the same text still needs a start, unless starting is not ours.
      // A running nginx may still run an older text if Berth died between writing the file and
      // reloading: the first apply of a registrar therefore always reloads.
      if (unchanged
          && !restart
          && ((master.isPresent() && confirmed)
              || (master.isEmpty() && !config.startIfNotRunning()))) {
        current = wanted;
        return false;
      }
      Path candidate = config.candidateFile();
      write(candidate, text);
      try {
        nginx.test(candidate);
      } catch (RouteException e) {
        delete(candidate);
        RouteException refused = new RouteException(withHint(e.getMessage()), e);
        if (restart && live.isPresent()) {
          startWithPrevious(refused);
        }
        throw refused;
      }
      replace(candidate, config.configFile());
      try {
        if (restart) {
          start();
        } else if (master.isPresent()) {
          nginx.reload(master.get());
        } else {
          LOG.log(
              Level.INFO,
              "nginx is not running and starting it is disabled; {0} is written for it",
              config.configFile());
        }
      } catch (NginxProcess.ReloadNotTakenException e) {
        hung = e.getMessage();
        restore(live);
        throw e;
      } catch (RouteException e) {
        restore(live);
        throw e;
      }
      confirmed = master.isPresent() || config.startIfNotRunning();
      current = wanted;
      return true;
    }
  }

  @Override
  public Set<RouteBinding> current() {
    return current;
  }

  @Override
  public ProxyHealth check() {
    Optional<String> found =
        nginx.fault().or(() -> Optional.ofNullable(hung)).or(this::unansweredListener);
    fault = found.orElse(null);
    if (found.isPresent() && !config.startIfNotRunning()) {
      return ProxyHealth.down(found.get() + "; Berth is configured not to start nginx");
    }
    return found.map(ProxyHealth::down).orElse(ProxyHealth.SERVING);
  }

  /** The first listener of the routes served (or of the ACME challenge server) not answering. */
  private Optional<String> unansweredListener() {
    SortedSet<Integer> ports = new TreeSet<>();
    current.forEach(route -> ports.add(route.listenerPort()));
    if (config.acmeChallenge() != null) {
      ports.add(config.acmeChallenge().port());
    }
    InetAddress address = config.checkAddress();
    for (int port : ports) {
      Optional<String> unanswered =
          ListenerCheck.unanswered(new InetSocketAddress(address, port), config.checkTimeout());
      if (unanswered.isPresent()) {
        return Optional.of("nginx's " + unanswered.get());
      }
    }
    return Optional.empty();
  }

  /** Guarded by {@link #lock}: starts a new nginx, after killing what is left of the last. */
  private void start() {
    nginx.start();
    started = true;
    fault = null;
    hung = null;
  }

  /**
   * Guarded by {@link #lock}: nginx is down and the new routes are refused, so it is started with
   * the live configuration, to serve the previous routes again.
   */
  private void startWithPrevious(RouteException refused) {
    try {
      start();
      confirmed = true;
      LOG.log(
          Level.WARNING, "nginx was restarted with the previous routes: the new ones are refused");
    } catch (RouteException e) {
      refused.addSuppressed(e);
    }
  }

  /**
   * Lets the nginx running with this configuration quit: gracefully, then killed after the stop
   * timeout (at once if it is stopped); kills the workers a dead master left. Its routes are no
   * longer served; {@link #current()} becomes empty.
   */
  public void stop() {
    synchronized (lock) {
      nginx.stop();
      started = false;
      confirmed = false;
      hung = null;
      current = Set.of();
    }
  }

  /**
   * Stops nginx if this registrar started it. An nginx that was already running when Berth came up
   * keeps serving: an agent restart must not drop the node's traffic.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (started) {
        stop();
      }
    }
  }

  private NginxConfigRenderer renderer() {
    Path module = config.streamModule();
    return new NginxConfigRenderer(config, module != null && Files.isRegularFile(module));
  }

  /** nginx's "unknown directive" alone does not tell an operator which package is missing. */
  private String withHint(String message) {
    if (message.contains("unknown directive \"stream\"")) {
      return message
          + " (L4 routes need nginx's stream module"
          + (config.streamModule() == null ? "" : "; there is none at " + config.streamModule())
          + ", on Debian: apt-get install libnginx-mod-stream)";
    }
    return message;
  }

  private void createDirectories() {
    List<Path> directories =
        new ArrayList<>(
            List.of(
                config.configDirectory(),
                config.logDirectory(),
                config.tempDirectory(),
                config.socketDirectory()));
    if (config.acmeChallenge() != null) {
      directories.add(config.acmeChallenge().directory());
    }
    for (Path directory : directories) {
      try {
        Files.createDirectories(directory);
      } catch (IOException e) {
        throw new RouteException("cannot create nginx's directory " + directory + ": " + e, e);
      }
    }
  }

  /** Puts the previous live configuration back after nginx failed to load its successor. */
  private void restore(Optional<String> previous) {
    try {
      if (previous.isPresent()) {
        write(config.candidateFile(), previous.get());
        replace(config.candidateFile(), config.configFile());
      } else {
        Files.deleteIfExists(config.configFile());
      }
    } catch (IOException | RouteException e) {
      LOG.log(Level.ERROR, "cannot restore the previous " + config.configFile(), e);
    }
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new RouteException("cannot read nginx's configuration " + file + ": " + e, e);
    }
  }

  /** Writes and syncs {@code file}, so a crash right after the rename cannot leave it empty. */
  private static void write(Path file, String text) {
    try (FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    } catch (IOException e) {
      throw new RouteException("cannot write nginx's configuration " + file + ": " + e, e);
    }
  }

  /** Renames atomically and syncs the directory, so the rename itself survives a crash. */
  private static void replace(Path source, Path target) {
    try {
      Files.move(
          source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel directory = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
        directory.force(true);
      }
    } catch (IOException e) {
      throw new RouteException(
          "cannot put nginx's configuration in place at " + target + ": " + e, e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot delete " + file, e);
    }
  }
}
