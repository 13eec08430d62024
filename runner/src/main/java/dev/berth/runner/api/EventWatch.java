package dev.berth.runner.api;

import dev.berth.proto.v1.AgentProto;
import dev.berth.store.registry.EventStore;
import dev.berth.store.registry.ServiceEvent;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's stream of events: the recent history first, then every event as it is committed,
 * repetitions included (an event counted again is sent again, with its new count). It subscribes
 * before it reads the history, so an event recorded in between is neither lost nor sent twice: what
 * the history already showed, at the count it showed, is not sent again. Events wait in a bounded
 * queue for the sending thread: a client too slow to keep up loses its stream (with
 * RESOURCE_EXHAUSTED) rather than the registry's writers waiting for it.
 */
final class EventWatch {

  private static final Logger LOG = LoggerFactory.getLogger(EventWatch.class);

  /** Thousands of events behind is no longer watching; the client can start again. */
  static final int MAX_BEHIND = 10_000;

  private final EventStore events;
  private final ExecutorService senders;

  EventWatch(EventStore events, ExecutorService senders) {
    this.events = events;
    this.senders = senders;
  }

  void watch(
      EventFilter filter,
      int history,
      boolean follow,
      ServerCallStreamObserver<AgentProto.Event> out) {
    BlockingQueue<ServiceEvent> queue = new LinkedBlockingQueue<>(MAX_BEHIND);
    AtomicBoolean fellBehind = new AtomicBoolean();
    AutoCloseable subscription =
        follow
            ? events.subscribe(
                event -> {
                  if (filter.test(event) && !queue.offer(event)) {
                    fellBehind.set(true);
                  }
                })
            : () -> {};
    List<ServiceEvent> past = history <= 0 ? List.of() : history(filter, history);
    past.forEach(event -> out.onNext(ServiceViews.event(event)));
    if (!follow) {
      out.onCompleted();
      return;
    }
    Map<Long, Integer> shown = new HashMap<>();
    past.forEach(event -> shown.put(event.id(), event.count()));
    out.setOnCancelHandler(() -> close(subscription));
    senders.execute(() -> send(queue, fellBehind, shown, subscription, out));
  }

  /**
   * The newest {@code count} events that pass the filter, oldest first. Filtered by more than the
   * service, every event kept is read: the history is bounded per service, and such a read is an
   * operator's look, not a loop's.
   */
  private List<ServiceEvent> history(EventFilter filter, int count) {
    List<ServiceEvent> all;
    if (filter.byServiceOnly() && filter.service().isEmpty()) {
      return events.recent(count);
    }
    all =
        filter.service().isEmpty() ? events.recent(Integer.MAX_VALUE) : events.of(filter.service());
    if (!filter.byServiceOnly()) {
      all = all.stream().filter(filter).toList();
    }
    return all.subList(Math.max(0, all.size() - count), all.size());
  }

  private void send(
      BlockingQueue<ServiceEvent> queue,
      AtomicBoolean fellBehind,
      Map<Long, Integer> shown,
      AutoCloseable subscription,
      ServerCallStreamObserver<AgentProto.Event> out) {
    try {
      while (!out.isCancelled()) {
        if (fellBehind.get()) {
          out.onError(
              io.grpc.Status.RESOURCE_EXHAUSTED
                  .withDescription("the watch fell " + MAX_BEHIND + " events behind; watch again")
                  .asRuntimeException());
          return;
        }
        ServiceEvent event = queue.poll(1, TimeUnit.SECONDS);
        if (event == null || event.count() <= shown.getOrDefault(event.id(), 0)) {
          continue;
        }
        out.onNext(ServiceViews.event(event));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (!out.isCancelled()) {
        out.onError(
            io.grpc.Status.UNAVAILABLE
                .withDescription("the agent is stopping")
                .asRuntimeException());
      }
    } catch (RuntimeException e) {
      LOG.debug("event watch ended: {}", e.toString());
    } finally {
      close(subscription);
    }
  }

  private static void close(AutoCloseable subscription) {
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.debug("closing an event subscription: {}", e.toString());
    }
  }
}
