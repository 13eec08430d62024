package dev.berth.runtime.podman;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.TimedLine;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.spec.identity.Labels;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Containers through the podman CLI, one podman process per operation, reading its JSON output.
 *
 * <p>Why the CLI and not libpod's REST API: the API saves podman's start-up, about 30 ms per
 * command (measured with curl on a 2-core machine, podman 4.3: 110 against 79 ms for a listing of
 * 200 containers, 455 against 367 ms for run, inspect and remove), and nothing else: the container
 * work is the same. For that it needs a {@code podman system service} that Berth would supervise
 * (another thing that can be down), and an HTTP client over a unix socket with podman's stream
 * framing for logs, which the JDK does not have. A reconcile issues a handful of commands per
 * change; the CLI has nothing to keep alive, and every call finds podman as it is now.
 *
 * <p>Idempotence: starting a running container and stopping a stopped one succeed without effect
 * (podman's own behaviour); removing a container that is already gone succeeds too. Failures carry
 * podman's own message and a reason read from it ({@link PodmanFailures}). Events come from one
 * {@code podman events} process that runs while anyone watches ({@link PodmanEventStream}).
 */
public final class PodmanRuntime implements WorkloadRuntime {

  private static final System.Logger LOG = System.getLogger(PodmanRuntime.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PodmanCli cli;
  private final PodmanImages images;
  private final PodmanEventStream events;

  /** A runtime that runs podman as {@code config} says; it starts nothing until asked. */
  public PodmanRuntime(PodmanConfig config) {
    this.cli = new PodmanCli(config);
    this.images = new PodmanImages(cli, false);
    this.events = new PodmanEventStream(cli);
  }

  @Override
  public String name() {
    return "podman";
  }

  @Override
  public Set<WorkloadKind> kinds() {
    return Set.of(WorkloadKind.CONTAINER);
  }

  @Override
  public void ensureImage(String image, PullPolicy policy) {
    images.ensure(image, policy);
  }

  @Override
  public Workload run(WorkloadSpec spec) {
    Path scratch = createScratchDirectory();
    Path cidFile = scratch.resolve(RunCommand.CID_FILE);
    Path envFile = scratch.resolve(RunCommand.ENV_FILE);
    try {
      List<String> args = RunCommand.arguments(spec, scratch);
      Optional<String> env = RunCommand.envFile(spec);
      if (env.isPresent()) {
        write(envFile, env.get());
      }
      CommandResult result = cli.run(args);
      if (!result.succeeded()) {
        removeHalfCreated(cidFile);
        RuntimeFailure failure = PodmanFailures.of("podman run " + spec.name(), result);
        throw failure.reason() == Reason.NAME_IN_USE ? nameInUse(spec, failure) : failure;
      }
      String id = result.lastLine();
      return inspect(id)
          .orElseThrow(
              () ->
                  new RuntimeFailure(
                      Reason.FAILED,
                      "podman run " + spec.name() + ": container " + id + " vanished once started",
                      (String) null));
    } finally {
      deleteQuietly(envFile);
      deleteQuietly(cidFile);
      deleteQuietly(scratch);
    }
  }

  /**
   * A name clash is NAME_IN_USE only when the container holding the name is a stranger's: not
   * Berth's, or another registry's ({@link Labels#strangerHolding}). One of the same registry is
   * its own previous container on its way out (or one the cache has not seen yet), and trying again
   * with backoff heals that. The holder is looked up by name; if it is gone meanwhile, retrying
   * will find the name free.
   */
  private RuntimeFailure nameInUse(WorkloadSpec spec, RuntimeFailure clash) {
    String name = spec.name();
    Optional<Workload> holder;
    try {
      holder = inspect(name);
    } catch (RuntimeFailure e) {
      holder = Optional.empty();
    }
    String stranger =
        holder.map(h -> Labels.strangerHolding(h.labels(), spec.labels())).orElse(null);
    if (stranger != null) {
      return new RuntimeFailure(
          Reason.NAME_IN_USE,
          "podman run "
              + name
              + ": the name is held by container "
              + shortId(holder.get().id())
              + ", "
              + stranger,
          clash.runtimeMessage());
    }
    return new RuntimeFailure(
        Reason.FAILED,
        "podman run " + name + " failed: the name is held by one of Berth's own containers",
        clash.runtimeMessage());
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  /**
   * A run that failed after podman created the container (a port taken, a missing command) leaves
   * it behind in state "created", holding the name; the next attempt would then fail on the name.
   * The cid file names exactly that container; a run that failed earlier (the name already in use)
   * wrote none, so nobody else's container is touched.
   */
  private void removeHalfCreated(Path cidFile) {
    String id;
    try {
      if (!Files.exists(cidFile)) {
        return;
      }
      id = Files.readString(cidFile).strip();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot read " + cidFile + " after a failed podman run", e);
      return;
    }
    if (!id.isEmpty()) {
      CommandResult removal = cli.run(List.of("rm", "--force", "--time=0", id));
      if (!removal.succeeded()) {
        LOG.log(Level.WARNING, "cannot remove half-created container " + id + ": " + removal);
      }
    }
  }

  @Override
  public void start(String id) {
    CommandResult result = cli.run(List.of("start", id));
    if (!result.succeeded()) {
      throw PodmanFailures.of("podman start " + id, result);
    }
  }

  @Override
  public void stop(String id, Duration timeout) {
    // podman takes whole seconds; round up so that a workload gets at least what was asked.
    long seconds = (timeout.toMillis() + 999) / 1000;
    CommandResult result =
        cli.run(
            List.of("stop", "--time=" + seconds, id),
            cli.config().commandTimeout().plusSeconds(seconds));
    if (!result.succeeded()) {
      throw PodmanFailures.of("podman stop " + id, result);
    }
  }

  /** {@code rm --force --time=0}: kills at once; succeeds for a container that is already gone. */
  @Override
  public void remove(String id) {
    CommandResult result = cli.run(List.of("rm", "--force", "--time=0", id));
    if (!result.succeeded()) {
      throw PodmanFailures.of("podman rm " + id, result);
    }
  }

  @Override
  public Optional<Workload> inspect(String id) {
    CommandResult result = cli.run(List.of("container", "inspect", id));
    if (!result.succeeded()) {
      RuntimeFailure failure = PodmanFailures.of("podman container inspect " + id, result);
      if (failure.reason() == Reason.NOT_FOUND) {
        return Optional.empty();
      }
      throw failure;
    }
    JsonNode entries = parse("podman container inspect", result.stdout());
    return entries.isEmpty()
        ? Optional.empty()
        : Optional.of(ContainerJson.fromInspect(entries.get(0)));
  }

  @Override
  public List<Workload> list() {
    CommandResult result = cli.run(List.of("ps", "--all", "--format=json"));
    if (!result.succeeded()) {
      throw PodmanFailures.of("podman ps", result);
    }
    List<Workload> workloads = new ArrayList<>();
    for (JsonNode entry : parse("podman ps", result.stdout())) {
      workloads.add(ContainerJson.fromPs(entry));
    }
    return workloads;
  }

  /**
   * {@code podman logs}, standard error included (a container's stderr is part of its log). The
   * container is looked up first so that a wrong id is a NOT_FOUND here rather than podman's error
   * text appearing as a line of the log.
   *
   * @param tail lines from the end; negative for all of them
   */
  @Override
  public Stream<String> logs(String id, int tail, boolean follow) {
    CommandResult exists = cli.run(List.of("container", "exists", id));
    if (exists.exitCode() == 1) {
      throw RuntimeFailure.notFound(name(), id);
    }
    if (!exists.succeeded()) {
      throw PodmanFailures.of("podman container exists " + id, exists);
    }
    List<String> args = new ArrayList<>(List.of("logs", "--tail=" + Math.max(-1, tail)));
    if (follow) {
      args.add("--follow");
    }
    args.add(id);
    return ProcessLines.of(cli.stream(args));
  }

  /** podman keeps each line's time in its log (conmon writes it): {@code podman logs -t}. */
  @Override
  public boolean keepsLogTimes(String id) {
    return true;
  }

  /**
   * {@code podman logs --timestamps [--since=TIME]}: podman prints each line after the time it
   * recorded (RFC 3339 with nanoseconds) and a space; the time is read back off the line. A line
   * whose prefix is not a time (none such is known) keeps its whole text and the time of the line
   * before.
   */
  @Override
  public Stream<TimedLine> timedLogs(String id, int tail, boolean follow, Instant since) {
    CommandResult exists = cli.run(List.of("container", "exists", id));
    if (exists.exitCode() == 1) {
      throw RuntimeFailure.notFound(name(), id);
    }
    if (!exists.succeeded()) {
      throw PodmanFailures.of("podman container exists " + id, exists);
    }
    List<String> args =
        new ArrayList<>(List.of("logs", "--timestamps", "--tail=" + Math.max(-1, tail)));
    if (since != null) {
      args.add("--since=" + since);
    }
    if (follow) {
      args.add("--follow");
    }
    args.add(id);
    Instant[] last = {since == null ? Instant.EPOCH : since};
    return ProcessLines.of(cli.stream(args))
        .map(
            line -> {
              int space = line.indexOf(' ');
              try {
                last[0] =
                    java.time.OffsetDateTime.parse(space < 0 ? line : line.substring(0, space))
                        .toInstant();
                return new TimedLine(last[0], space < 0 ? "" : line.substring(space + 1));
              } catch (java.time.format.DateTimeParseException e) {
                return new TimedLine(last[0], line);
              }
            });
  }

  /** See {@link PodmanEventStream} for when the podman events process runs. */
  @Override
  public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
    return events.watch(listener);
  }

  /** Whether a {@code podman events} process is being kept running (someone watches). */
  boolean eventsRunning() {
    return events.running();
  }

  /** The {@code podman events} process of the moment, for tests that kill it. */
  Optional<ProcessHandle> eventsProcess() {
    return events.process();
  }

  @Override
  public void close() {
    events.close();
    cli.close();
  }

  private static JsonNode parse(String command, String stdout) {
    try {
      JsonNode node = JSON.readTree(stdout);
      if (node == null || !node.isArray()) {
        throw new RuntimeFailure(Reason.FAILED, command + " printed no JSON array", stdout.strip());
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new RuntimeFailure(Reason.FAILED, command + " printed JSON that cannot be read", e);
    }
  }

  /** A directory of one run, readable by the agent alone (createTempDirectory makes it 0700). */
  private static Path createScratchDirectory() {
    try {
      return Files.createTempDirectory("berth-podman-run");
    } catch (IOException e) {
      throw new RuntimeFailure(Reason.FAILED, "cannot create a temporary directory", e);
    }
  }

  /** A new file of mode 0600, whatever the umask: it holds env values and secrets. */
  private static void write(Path file, String content) {
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new RuntimeFailure(Reason.FAILED, "cannot write " + file, e);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "cannot delete " + path, e);
    }
  }
}
