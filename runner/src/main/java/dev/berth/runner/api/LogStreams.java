package dev.berth.runner.api;

import dev.berth.proto.v1.AgentProto;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadRuntime;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the output of one or more workloads to a client. Each workload is read on a thread of its
 * own (a followed log blocks while it waits for lines), and lines are sent one at a time because a
 * gRPC stream takes one writer. A cancelled call closes every log being read.
 */
final class LogStreams {

  private static final Logger LOG = LoggerFactory.getLogger(LogStreams.class);

  private final WorkloadRuntime runtime;

  private final ExecutorService readers;

  LogStreams(WorkloadRuntime runtime, ExecutorService readers) {
    this.runtime = runtime;
    this.readers = readers;
  }

  /**
   * Sends the workloads' output, labelled by component, then completes (or, following, on cancel).
   */
  /**
   * What to read of each workload's log.
   *
   * @param since only lines written at or after it; null for all
   * @param timestamps whether each line is sent with its time
   */
  record Query(int tail, boolean follow, java.time.Instant since, boolean timestamps) {

    /** Whether the runtime must say when each line was written. */
    boolean timed() {
      return since != null || timestamps;
    }
  }

  void stream(
      List<Workload> workloads, Query query, ServerCallStreamObserver<AgentProto.LogLine> out) {
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger open = new AtomicInteger(workloads.size());
    List<Stream<AgentProto.LogLine.Builder>> streams = new ArrayList<>();
    out.setOnCancelHandler(
        () -> {
          done.set(true);
          synchronized (streams) {
            streams.forEach(Stream::close);
          }
        });
    for (Workload workload : workloads) {
      readers.execute(
          () -> {
            try (Stream<AgentProto.LogLine.Builder> lines = read(workload, query)) {
              synchronized (streams) {
                if (done.get()) {
                  return;
                }
                streams.add(lines);
              }
              Iterator<AgentProto.LogLine.Builder> it = lines.iterator();
              while (!done.get() && it.hasNext()) {
                AgentProto.LogLine line = it.next().setComponent(workload.component()).build();
                synchronized (out) {
                  if (!done.get()) {
                    out.onNext(line);
                  }
                }
              }
            } catch (RuntimeException e) {
              if (!done.get()) {
                LOG.debug("reading the log of {} ended: {}", workload.id(), e.toString());
              }
            } finally {
              if (open.decrementAndGet() == 0 && done.compareAndSet(false, true)) {
                synchronized (out) {
                  out.onCompleted();
                }
              }
            }
          });
    }
  }

  /** The workload's lines, with their times when asked for (the runtime keeps them then). */
  private Stream<AgentProto.LogLine.Builder> read(Workload workload, Query query) {
    if (!query.timed()) {
      return runtime
          .logs(workload.id(), query.tail(), query.follow())
          .map(line -> AgentProto.LogLine.newBuilder().setLine(line));
    }
    return runtime
        .timedLogs(workload.id(), query.tail(), query.follow(), query.since())
        .map(
            line -> {
              AgentProto.LogLine.Builder out = AgentProto.LogLine.newBuilder().setLine(line.text());
              return query.timestamps() ? out.setTime(ServiceViews.timestamp(line.time())) : out;
            });
  }
}
