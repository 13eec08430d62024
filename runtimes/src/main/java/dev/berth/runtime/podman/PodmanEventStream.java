package dev.berth.runtime.podman;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.EventHub;
import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.RuntimeFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Feeds an {@link EventHub} from {@code podman events --format json} while anyone watches.
 *
 * <p><b>Lifecycle.</b> The podman process starts with the first watcher and stops when the last one
 * closes its handle: an embedder that only lists never pays for a process that reads podman's event
 * log. While watched, a stream that ends (podman killed, upgraded, its log rotated) starts again
 * after a backoff ({@link #FIRST_BACKOFF}, doubling up to {@link #MAX_BACKOFF}, back to the first
 * once a stream delivers an event).
 *
 * <p><b>No gap.</b> {@code podman events} needs about 50 ms before it listens, and a restart takes
 * longer. So every stream starts with {@code --since}: the first at the moment of the first watch
 * (a caller that watches and then runs sees the run's events), a restart a little before the last
 * event delivered ({@link #RESUME_OVERLAP}: podman processes write the log concurrently, not
 * strictly in time order). The overlap is delivered once: the stream remembers the last {@link
 * #REMEMBERED} events it handed out and drops them when podman reads them out again.
 *
 * <p>Invariant: {@code session} is non-null exactly while the hub has listeners; both change only
 * under {@code lock}.
 */
final class PodmanEventStream implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(PodmanEventStream.class.getName());

  /** Quick enough that a restart of podman loses nobody's attention. */
  static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

  /** A podman that cannot start its event stream is retried every few seconds, not hammered. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /** Covers events that podman wrote out of time order around the one we saw last. */
  static final Duration RESUME_OVERLAP = Duration.ofSeconds(1);

  /**
   * More events than one second of a busy node writes (a {@code podman run} takes 0.2 s and writes
   * five), so the overlap is always covered; about 300 KiB of lines.
   */
  static final int REMEMBERED = 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PodmanCli cli;
  private final EventHub hub = new EventHub();
  private final Object lock = new Object();
  private Session session;

  PodmanEventStream(PodmanCli cli) {
    this.cli = cli;
  }

  /** Adds a listener; starts the podman process if it is the first. */
  AutoCloseable watch(Consumer<RuntimeEvent> listener) {
    AutoCloseable registration;
    synchronized (lock) {
      registration = hub.watch(listener);
      if (session == null) {
        session = new Session(Instant.now());
        session.start();
      }
    }
    return () -> {
      synchronized (lock) {
        registration.close();
        if (!hub.hasListeners() && session != null) {
          session.stop();
          session = null;
        }
      }
    };
  }

  /** The podman process currently streaming, if any (for tests that kill it). */
  Optional<ProcessHandle> process() {
    synchronized (lock) {
      return session == null ? Optional.empty() : session.process();
    }
  }

  boolean running() {
    synchronized (lock) {
      return session != null;
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (session != null) {
        session.stop();
        session = null;
      }
    }
  }

  /** One watched period: a thread that runs {@code podman events} again and again until stopped. */
  private final class Session {
    private final Thread thread;
    private volatile boolean stopped;
    private volatile Process process;

    // Touched by the session's thread only.
    private Instant since;
    private final LinkedHashSet<String> delivered = new LinkedHashSet<>();

    Session(Instant since) {
      this.since = since;
      this.thread = new Thread(this::run, "podman-events");
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    void stop() {
      stopped = true;
      Process current = process;
      if (current != null) {
        current.destroyForcibly();
      }
      thread.interrupt();
    }

    Optional<ProcessHandle> process() {
      Process current = process;
      return current == null || !current.isAlive()
          ? Optional.empty()
          : Optional.of(current.toHandle());
    }

    private void run() {
      Duration backoff = FIRST_BACKOFF;
      while (!stopped) {
        boolean deliveredAny = false;
        String ending;
        try {
          deliveredAny = stream();
          ending = "ended (exit code " + process.waitFor() + ")";
        } catch (RuntimeFailure | IOException e) {
          ending = "failed: " + e.getMessage();
        } catch (InterruptedException e) {
          ending = "interrupted";
        }
        if (stopped) {
          return;
        }
        backoff = deliveredAny ? FIRST_BACKOFF : backoff;
        LOG.log(Level.WARNING, "podman events " + ending + "; starting it again in " + backoff);
        try {
          Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
          // stop() interrupts; the loop condition decides
        }
        backoff = deliveredAny ? FIRST_BACKOFF : min(backoff.multipliedBy(2), MAX_BACKOFF);
      }
    }

    /** Runs one podman process to its end; whether it delivered anything. */
    private boolean stream() throws IOException {
      Process current =
          cli.stream(
              List.of(
                  "events",
                  "--format=json",
                  "--filter=type=container",
                  "--since=" + since.toString()));
      process = current;
      if (stopped) { // stop() ran before it could see this process
        current.destroyForcibly();
        return false;
      }
      boolean deliveredAny = false;
      try (BufferedReader lines = current.inputReader(StandardCharsets.UTF_8)) {
        String line;
        while ((line = lines.readLine()) != null) {
          deliveredAny |= handle(line);
        }
      }
      return deliveredAny;
    }

    private boolean handle(String line) {
      if (!line.startsWith("{")) {
        // Standard error joins the stream: this is podman saying why it is about to end.
        LOG.log(Level.WARNING, "podman events: " + line);
        return false;
      }
      Optional<RuntimeEvent> event;
      try {
        event = EventJson.parse(JSON.readTree(line));
      } catch (JsonProcessingException | RuntimeException e) {
        LOG.log(Level.WARNING, "podman events: cannot read " + line, e);
        return false;
      }
      if (event.isEmpty() || !remember(line)) {
        return false;
      }
      if (event.get().at() != null) {
        since = event.get().at().minus(RESUME_OVERLAP);
      }
      if (!stopped) {
        hub.publish(event.get());
      }
      return true;
    }

    /** Whether this line is new; podman prints an event the same way each time it reads it. */
    private boolean remember(String line) {
      if (!delivered.add(line)) {
        return false;
      }
      if (delivered.size() > REMEMBERED) {
        Iterator<String> oldest = delivered.iterator();
        oldest.next();
        oldest.remove();
      }
      return true;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
