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
  void stream(
      List<Workload> workloads,
      int tail,
      boolean follow,
      ServerCallStreamObserver<AgentProto.LogLine> out) {
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger open = new AtomicInteger(workloads.size());
    List<Stream<String>> streams = new ArrayList<>();
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
            try (Stream<String> lines = runtime.logs(workload.id(), tail, follow)) {
              synchronized (streams) {
                if (done.get()) {
                  return;
                }
                streams.add(lines);
              }
              Iterator<String> it = lines.iterator();
              while (!done.get() && it.hasNext()) {
                String line = it.next();
                synchronized (out) {
                  if (!done.get()) {
                    out.onNext(
                        AgentProto.LogLine.newBuilder()
                            .setComponent(workload.component())
                            .setLine(line)
                            .build());
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
}
