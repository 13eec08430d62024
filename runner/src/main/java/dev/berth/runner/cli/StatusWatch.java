package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code berth status --watch}, as {@code kubectl get -w}: the table, then one line for each row
 * that changes, never clearing the screen, until Ctrl-C. The agent's {@code Watch} stream says
 * which service something happened to; that service is then read again and its rows that changed
 * are printed. Not every change of state is an event, so the services are also read again every
 * {@link #RESYNC} as a safety net; a row that did not change is never printed twice.
 *
 * <p>The agent going away (the stream failing, or ending without Ctrl-C) ends the command with exit
 * 3, as any other command that cannot reach the agent: a watch that silently stopped printing would
 * look like a quiet node.
 */
final class StatusWatch {

  /** How often every watched service is read again, whatever the stream said. */
  static final Duration RESYNC = Duration.ofSeconds(2);

  /** The state a deleted service's rows show. */
  static final String DELETED = "deleted";

  private static final int UPTIME = 5;

  private final AgentConnection agent;
  private final StopSignal signal;
  private final PrintWriter out;
  private final OutputFormat format;
  private final boolean noHeaders;

  /** What was printed last of each row (uptime left out), by service and component. */
  private final Map<String, Map<String, String[]>> printed = new HashMap<>();

  /** What was printed last of each service with -o json or name. */
  private final Map<String, AgentProto.Service> printedServices = new HashMap<>();

  /** The column widths of the first table, which every later line keeps where it can. */
  private int[] widths;

  StatusWatch(
      AgentConnection agent,
      StopSignal signal,
      PrintWriter out,
      OutputFormat format,
      boolean noHeaders) {
    this.agent = agent;
    this.signal = signal;
    this.out = out;
    this.format = format;
    this.noHeaders = noHeaders;
  }

  /** Watches every service, or only {@code service}; returns the exit code. */
  int run(String service) {
    List<AgentProto.Service> first = read(service);
    printFirst(first);
    BlockingQueue<Object> changes = new LinkedBlockingQueue<>();
    AtomicBoolean stopped = new AtomicBoolean();
    Context.CancellableContext call = Context.current().withCancellation();
    StopSignal.Registration registration =
        signal.onStop(
            () -> {
              stopped.set(true);
              changes.add(Stop.USER);
              call.cancel(null);
            });
    Thread reader = new Thread(() -> follow(service, call, changes), "berth-status-watch");
    reader.setDaemon(true);
    reader.start();
    try {
      while (true) {
        Object next = changes.poll(RESYNC.toMillis(), TimeUnit.MILLISECONDS);
        if (next == Stop.USER || stopped.get()) {
          return ExitCodes.OK;
        }
        if (next instanceof StatusRuntimeException failure) {
          if (failure.getStatus().getCode() == Status.Code.UNAVAILABLE) {
            throw new CliException(
                ExitCodes.UNREACHABLE,
                "cannot reach the Berth agent at "
                    + agent.target()
                    + " any more: "
                    + failure.getStatus().getDescription());
          }
          throw failure;
        }
        if (next == Stop.AGENT) {
          throw new CliException(
              ExitCodes.UNREACHABLE,
              "the Berth agent at " + agent.target() + " ended the watch (is it stopping?)");
        }
        if (next instanceof AgentProto.Event event) {
          refresh(event.getService());
        } else {
          resync(service);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.OK;
    } finally {
      call.cancel(null);
      out.flush();
      registration.close();
    }
  }

  /** Why the stream ended without a failure. */
  private enum Stop {
    USER,
    AGENT
  }

  /** In the reader thread: every event of the stream into {@code changes}, then how it ended. */
  private void follow(
      String service, Context.CancellableContext call, BlockingQueue<Object> changes) {
    AgentProto.WatchRequest request =
        AgentProto.WatchRequest.newBuilder()
            .setService(service == null ? "" : service)
            .setFollow(true)
            .build();
    Context previous = call.attach();
    try {
      Iterator<AgentProto.Event> events = agent.stream().watch(request);
      while (events.hasNext()) {
        changes.add(events.next());
      }
      changes.add(Stop.AGENT);
    } catch (StatusRuntimeException e) {
      changes.add(e.getStatus().getCode() == Status.Code.CANCELLED ? Stop.USER : e);
    } finally {
      call.detach(previous);
    }
  }

  private List<AgentProto.Service> read(String service) {
    if (service == null) {
      return agent
          .call()
          .listServices(AgentProto.ListServicesRequest.getDefaultInstance())
          .getServicesList();
    }
    return List.of(get(service));
  }

  private AgentProto.Service get(String service) {
    return agent
        .call()
        .getService(AgentProto.GetServiceRequest.newBuilder().setName(service).build());
  }

  /**
   * Reads every watched service again: prints what changed, and as deleted those that are gone (a
   * deleted service's events go with it, so the stream may say nothing of its deletion).
   */
  private void resync(String service) {
    if (service != null) {
      refresh(service);
      return;
    }
    List<AgentProto.Service> now = read(null);
    now.forEach(this::printChanges);
    java.util.Set<String> gone = new java.util.HashSet<>(printed.keySet());
    gone.addAll(printedServices.keySet());
    now.forEach(one -> gone.remove(one.getSpec().getName()));
    gone.forEach(this::printDeleted);
  }

  /** Reads {@code service} again after an event; one that is gone prints as deleted. */
  private void refresh(String service) {
    AgentProto.Service now;
    try {
      now = get(service);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
      printDeleted(service);
      return;
    }
    printChanges(now);
  }

  private void printFirst(List<AgentProto.Service> services) {
    if (format == OutputFormat.JSON || format == OutputFormat.NAME) {
      services.forEach(this::printChanges);
      out.flush();
      return;
    }
    boolean wide = format == OutputFormat.WIDE;
    String[] header = StatusTable.header(wide);
    AlignedColumns table = AlignedColumns.withHeader(header);
    widths = new int[header.length];
    widen(header);
    for (AgentProto.Service service : services) {
      for (String[] row : StatusTable.rows(service, wide)) {
        table.row(row);
        widen(row);
        remember(service.getSpec().getName(), row);
      }
    }
    List<String> lines = table.lines("");
    lines.subList(noHeaders ? 1 : 0, lines.size()).forEach(out::println);
    out.flush();
  }

  private void widen(String[] row) {
    for (int i = 0; i < row.length; i++) {
      widths[i] = Math.max(widths[i], row[i].codePointCount(0, row[i].length()));
    }
  }

  /** Prints what changed of {@code service} since it was last printed. */
  private void printChanges(AgentProto.Service service) {
    String name = service.getSpec().getName();
    if (format == OutputFormat.JSON || format == OutputFormat.NAME) {
      // Its events are not part of its state: berth events -f follows them.
      AgentProto.Service state = comparable(service.toBuilder().clearEvents().build());
      if (!state.equals(printedServices.put(name, state))) {
        out.println(
            format == OutputFormat.NAME
                ? StatusCommand.name(service)
                : Json.line(service.toBuilder().clearEvents()));
      }
      out.flush();
      return;
    }
    Map<String, String[]> before = printed.getOrDefault(name, Map.of());
    for (String[] row : StatusTable.rows(service, format == OutputFormat.WIDE)) {
      String[] last = before.get(row[1]);
      if (last == null || !Arrays.equals(withoutUptime(row), last)) {
        out.println(line(row));
      }
      remember(name, row);
    }
    out.flush();
  }

  private void printDeleted(String service) {
    if (format == OutputFormat.JSON || format == OutputFormat.NAME) {
      if (printedServices.remove(service) != null) {
        AgentProto.Service gone =
            AgentProto.Service.newBuilder()
                .setSpec(AgentProto.ServiceSpec.newBuilder().setName(service))
                .build();
        out.println(format == OutputFormat.NAME ? StatusCommand.name(gone) : Json.line(gone));
      }
      out.flush();
      return;
    }
    Map<String, String[]> rows = printed.remove(service);
    if (rows == null) {
      return;
    }
    for (String[] last : rows.values()) {
      String[] row = new String[last.length];
      Arrays.fill(row, "-");
      row[0] = last[0];
      row[1] = last[1];
      row[2] = last[2];
      row[3] = DELETED;
      out.println(line(row));
    }
    out.flush();
  }

  private void remember(String service, String[] row) {
    printed.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(row[1], withoutUptime(row));
  }

  /** The row as compared: the uptime grows on every read, which is no change. */
  private static String[] withoutUptime(String[] row) {
    String[] copy = row.clone();
    copy[UPTIME] = "";
    return copy;
  }

  /** The service without what changes on every read (uptimes), for comparing. */
  private static AgentProto.Service comparable(AgentProto.Service service) {
    AgentProto.Service.Builder builder = service.toBuilder();
    builder.getComponentsBuilderList().forEach(c -> c.clearUptimeSeconds());
    return builder.build();
  }

  /** One row in the columns of the first table, as long as it fits them. */
  private String line(String[] row) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < row.length; i++) {
      String cell = row[i];
      line.append(cell);
      if (i < row.length - 1) {
        int width = cell.codePointCount(0, cell.length());
        line.append(" ".repeat(Math.max(0, widths[i] - width))).append("  ");
      }
    }
    return line.toString().stripTrailing();
  }
}
