package dev.berth.reconcilers.secret;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Tells which files of the secrets directory changed (written, replaced, created, deleted, their
 * mode changed), so that the services using them are looked at now rather than at the next resync.
 * Like every event in Berth, it only says where to look: the reconcile reads the file. A missed
 * event (an overflow, a directory made after the agent started) is caught by the periodic resync.
 */
public final class SecretWatch implements AutoCloseable {

  private static final Logger LOG = System.getLogger(SecretWatch.class.getName());

  /** Told for an overflow, when which file changed is unknown. */
  public static final String ANY_FILE = "*";

  private final WatchService service;
  private final Thread thread;

  private SecretWatch(WatchService service, Thread thread) {
    this.service = service;
    this.thread = thread;
  }

  /**
   * Starts watching {@code directory}, telling {@code changed} the name of each file that changed,
   * or {@link #ANY_FILE}. Nothing is watched (and the resync alone notices changes) if the
   * directory does not exist or cannot be watched.
   *
   * @return the watch, to close; null if nothing is watched
   */
  public static SecretWatch start(Path directory, Consumer<String> changed) {
    Objects.requireNonNull(changed, "changed");
    if (!Files.isDirectory(directory)) {
      LOG.log(
          Level.INFO,
          "secrets directory {0} does not exist: changes of secret files are noticed by the"
              + " periodic resync only",
          directory);
      return null;
    }
    WatchService service;
    try {
      service = directory.getFileSystem().newWatchService();
      directory.register(
          service,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
    } catch (IOException e) {
      LOG.log(
          Level.WARNING,
          "cannot watch secrets directory " + directory + "; the periodic resync notices changes",
          e);
      return null;
    }
    Thread thread = new Thread(() -> run(service, changed), "berth-secret-watch");
    thread.setDaemon(true);
    thread.start();
    return new SecretWatch(service, thread);
  }

  private static void run(WatchService service, Consumer<String> changed) {
    try {
      while (true) {
        WatchKey key = service.take();
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
            changed.accept(ANY_FILE);
          } else if (event.context() instanceof Path file) {
            changed.accept(file.getFileName().toString());
          }
        }
        if (!key.reset()) {
          LOG.log(Level.WARNING, "the secrets directory is gone; the periodic resync remains");
          return;
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the watch of the secrets directory failed", e);
    }
  }

  @Override
  public void close() throws IOException {
    service.close();
    thread.interrupt();
  }
}
