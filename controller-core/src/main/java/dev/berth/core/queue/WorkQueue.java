package dev.berth.core.queue;

import dev.berth.core.time.Cancellable;
import dev.berth.core.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A queue of keys to reconcile, with the semantics of client-go's workqueue: duplicates collapse,
 * one key is never handed to two workers at once, and a key added while it is being processed runs
 * once more after {@link #done}. On top of that: delayed adds, rate-limited retries, and priority
 * {@link Lane lanes} so that a resync of every key cannot delay a real change.
 *
 * <p>Where it deliberately differs from client-go ({@code util/workqueue/queue.go}):
 *
 * <ul>
 *   <li><b>Waiting keys are abandoned at shutdown.</b> client-go's {@code Get} goes on handing out
 *       waiting keys after {@code ShutDown} until the queue is empty (and requeues a key added
 *       again while it was processed); here {@link #get()} returns empty at once and such a key is
 *       not requeued. A controller lists every key when it starts again, so nothing is lost, and a
 *       stop does not wait for a backlog of 100 000 keys.
 *   <li>{@link #done} of a key that is not being processed throws: client-go ignores it, or, if the
 *       key is waiting, queues it a second time.
 *   <li>{@link #shutDownWithDrain} takes a timeout (client-go's waits for ever); as in client-go,
 *       {@link #shutDown} ends it at once.
 *   <li>{@code workqueue_retries_total} counts rate-limited retries only (see {@link
 *       WorkQueueMetrics}).
 * </ul>
 *
 * The rest is client-go's: adds are ignored once shutting down; a delayed add of a key already
 * scheduled keeps the earlier time; {@link #len()} leaves out keys added again while processed,
 * which {@code workqueue_depth} counts.
 *
 * <p>A worker loop looks like this:
 *
 * <pre>{@code
 * while (true) {
 *   Optional<K> key = queue.get();        // blocks; empty once the queue is shut down
 *   if (key.isEmpty()) return;
 *   try {
 *     reconcile(key.get());
 *     queue.forget(key.get());            // success resets the key's backoff
 *   } catch (Exception e) {
 *     queue.addRateLimited(key.get());    // retry later, with per-key backoff
 *   } finally {
 *     queue.done(key.get());              // always: releases the key to other workers
 *   }
 * }
 * }</pre>
 *
 * <p>Invariants, all guarded by {@code lock}:
 *
 * <ul>
 *   <li>{@code nodes} holds a node for exactly the keys that are waiting, processing, or both
 *       (client-go's dirty and processing sets in one map, so each operation does one lookup).
 *   <li>A node is linked into the list of its lane if and only if it is waiting and not processing;
 *       {@code waiting} counts those nodes. A waiting key that is being processed is linked in when
 *       {@link #done} is called. {@code dirty} counts every waiting node, linked or not.
 *   <li>When timed, a node is linked into {@code inFlightByAge} if and only if it is processing, in
 *       the order it was handed out. A node is never in two lists, since a processing node is in no
 *       lane, so the one pair of links serves both.
 *   <li>{@code delayedByKey} holds the one live delayed add of a key; the heap may still hold
 *       superseded entries, which are skipped when they come up.
 *   <li>At most one wake-up is scheduled on the clock, for the earliest live delayed add.
 * </ul>
 *
 * @param <K> the key type; keys must be immutable values with {@code equals} and {@code hashCode}
 */
public final class WorkQueue<K> {

  private final Clock clock;
  private final RateLimiter<K> rateLimiter;
  private final WorkQueueMetrics metrics;
  private final boolean timed;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition keyWaiting = lock.newCondition();
  private final Condition processingFinished = lock.newCondition();

  private final HashMap<K, Node<K>> nodes = new HashMap<>();
  private final LaneList<K>[] lanes;
  private int waiting;
  private int processing;

  /** Keys waiting, including those also being processed: client-go's dirty set, its depth gauge. */
  private int dirty;

  /** The keys being processed, oldest first; kept only when timed, for the unfinished work. */
  private final LaneList<K> inFlightByAge = new LaneList<>();

  private boolean shuttingDown;

  /** Set by {@link #shutDownWithDrain}, cleared by {@link #shutDown} to end the drain. */
  private boolean draining;

  private final PriorityQueue<Delayed<K>> delayed =
      new PriorityQueue<>(
          (a, b) ->
              a.readyAt != b.readyAt
                  ? Long.compare(a.readyAt, b.readyAt)
                  : Long.compare(a.sequence, b.sequence));
  private final HashMap<K, Delayed<K>> delayedByKey = new HashMap<>();
  private long delayedSequence;
  private Cancellable wakeUp;

  private WorkQueue(Builder<K> builder) {
    this.clock = builder.clock;
    this.rateLimiter = builder.rateLimiter;
    this.metrics =
        builder.meterRegistry == null
            ? WorkQueueMetrics.NONE
            : WorkQueueMetrics.micrometer(builder.meterRegistry, builder.name, this);
    this.timed = metrics.timed();
    @SuppressWarnings({"unchecked", "rawtypes"})
    LaneList<K>[] lists = new LaneList[Lane.BY_PRIORITY.length];
    for (int i = 0; i < lists.length; i++) {
      lists[i] = new LaneList<>();
    }
    this.lanes = lists;
  }

  /**
   * A queue with the real clock, per-key exponential backoff and no metrics, until told otherwise.
   */
  public static <K> Builder<K> builder(String name) {
    return new Builder<>(name);
  }

  /** Adds a key because something changed ({@link Lane#CHANGE}). */
  public void add(K key) {
    add(key, Lane.CHANGE);
  }

  /**
   * Adds a key in the given lane. A key that is already waiting is not added twice; if it waits in
   * a lower lane it moves up to this one. Ignored once the queue is shutting down.
   */
  public void add(K key, Lane lane) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(lane, "lane");
    lock.lock();
    try {
      if (!shuttingDown) {
        addLocked(key, lane);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds many keys in one lane. Takes the lock once per batch rather than once per key, and lets
   * workers in between batches, so a resync of 100 000 keys never holds the queue for long.
   */
  public void addAll(Collection<? extends K> keys, Lane lane) {
    Objects.requireNonNull(lane, "lane");
    final int batch = 1024;
    var iterator = keys.iterator();
    while (iterator.hasNext()) {
      lock.lock();
      try {
        if (shuttingDown) {
          return;
        }
        for (int i = 0; i < batch && iterator.hasNext(); i++) {
          addLocked(Objects.requireNonNull(iterator.next(), "key"), lane);
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Adds the key after {@code delay}. If the key is already scheduled, the earliest of the two
   * times wins. The lane is the one the key was handed out from if a worker is processing it now,
   * so that a requeue keeps the priority of the work that asked for it; otherwise {@link
   * Lane#CHANGE}.
   */
  public void addAfter(K key, Duration delay) {
    addAfter(key, delay, null);
  }

  /** Adds the key in the given lane after {@code delay}; the earliest of several delays wins. */
  public void addAfter(K key, Duration delay, Lane lane) {
    addAfter(key, delay, lane, false);
  }

  private void addAfter(K key, Duration delay, Lane lane, boolean retry) {
    Objects.requireNonNull(key, "key");
    long delayNanos = delay.toNanos();
    lock.lock();
    try {
      if (shuttingDown) {
        return;
      }
      if (retry) {
        metrics.retried();
      }
      Lane target = lane != null ? lane : laneForRequeueLocked(key);
      if (delayNanos <= 0) {
        addLocked(key, target);
      } else {
        scheduleLocked(key, clock.nanoTime() + delayNanos, target);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds the key again after the delay its rate limiter gives for one more failure: per-key
   * exponential backoff by default. The lane follows the rule of {@link #addAfter(Object,
   * Duration)}, so a failing resync does not crowd out fresh changes.
   */
  public void addRateLimited(K key) {
    Objects.requireNonNull(key, "key");
    addAfter(key, rateLimiter.when(key), null, true);
  }

  /** Clears the key's failure history, so that its next failure starts from the base delay. */
  public void forget(K key) {
    rateLimiter.forget(key);
  }

  /** How many rate-limited retries the key has had since it was last forgotten. */
  public int numRequeues(K key) {
    return rateLimiter.numRequeues(key);
  }

  /**
   * Blocks until a key is waiting, then hands it out: from the highest lane that has one, oldest
   * first. The caller owns the key until it calls {@link #done}; no other caller gets it meanwhile.
   *
   * @return the key, or empty once the queue is shutting down (waiting keys are then abandoned)
   */
  public Optional<K> get() throws InterruptedException {
    Node<K> node;
    lock.lockInterruptibly();
    try {
      while (waiting == 0 && !shuttingDown) {
        keyWaiting.await();
      }
      node = shuttingDown ? null : handOutLocked();
    } finally {
      lock.unlock();
    }
    return handedOut(node);
  }

  /** As {@link #get()}, but returns empty at once instead of blocking when no key is waiting. */
  public Optional<K> poll() {
    Node<K> node;
    lock.lock();
    try {
      node = shuttingDown || waiting == 0 ? null : handOutLocked();
    } finally {
      lock.unlock();
    }
    return handedOut(node);
  }

  /**
   * Records the wait outside the lock, so a histogram update never lengthens every worker's wait.
   * Reading {@code queuedNanos} here is safe: only this caller's {@code done} can let the node be
   * handed out again.
   */
  private Optional<K> handedOut(Node<K> node) {
    if (node == null) {
      return Optional.empty();
    }
    if (timed) {
      metrics.queued(node.queuedNanos);
    }
    return Optional.of(node.key);
  }

  /**
   * Marks the key as processed. If it was added again while being processed, it waits again now.
   *
   * @throws IllegalStateException if the key is not being processed: done without get is a bug
   */
  public void done(K key) {
    long worked = 0;
    lock.lock();
    try {
      Node<K> node = nodes.get(key);
      if (node == null || !node.processing) {
        throw new IllegalStateException("done(" + key + ") for a key that is not being processed");
      }
      node.processing = false;
      processing--;
      if (timed) {
        worked = clock.nanoTime() - node.processingSince;
        inFlightByAge.unlink(node);
      }
      if (!node.waiting) {
        nodes.remove(key);
      } else if (!shuttingDown) {
        linkLocked(node);
      }
      if (processing == 0 && shuttingDown) {
        processingFinished.signalAll();
      }
    } finally {
      lock.unlock();
    }
    if (timed) {
      metrics.worked(worked);
    }
  }

  /** The number of keys waiting to be handed out (keys being processed are not counted). */
  public int len() {
    lock.lock();
    try {
      return waiting;
    } finally {
      lock.unlock();
    }
  }

  /**
   * What client-go's {@code workqueue_depth} gauge counts: the keys waiting, including those added
   * again while they are being processed (which {@link #len()} leaves out until they are done).
   */
  int depth() {
    lock.lock();
    try {
      return dirty;
    } finally {
      lock.unlock();
    }
  }

  /**
   * client-go's {@code workqueue_unfinished_work_seconds}: how long every key in flight has been
   * processed so far, summed, in seconds. Zero without metrics (nothing is timed then).
   */
  double unfinishedWorkSeconds() {
    lock.lock();
    try {
      long now = clock.nanoTime();
      long total = 0;
      for (Node<K> node = inFlightByAge.head; node != null; node = node.next) {
        total += now - node.processingSince;
      }
      return total / 1e9;
    } finally {
      lock.unlock();
    }
  }

  /**
   * client-go's {@code workqueue_longest_running_processor_seconds}: how long the oldest key in
   * flight has been processed so far, in seconds; zero when none is.
   */
  double longestRunningProcessorSeconds() {
    lock.lock();
    try {
      Node<K> oldest = inFlightByAge.head;
      return oldest == null ? 0 : (clock.nanoTime() - oldest.processingSince) / 1e9;
    } finally {
      lock.unlock();
    }
  }

  /** The number of keys waiting in one lane. */
  public int len(Lane lane) {
    lock.lock();
    try {
      return lanes[lane.ordinal()].size;
    } finally {
      lock.unlock();
    }
  }

  /** The number of keys handed out and not yet done. */
  public int inFlight() {
    lock.lock();
    try {
      return processing;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The number of keys scheduled by {@link #addAfter} or {@link #addRateLimited} and not due yet.
   */
  public int pendingDelayed() {
    lock.lock();
    try {
      return delayedByKey.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The keys waiting or being processed now, and each delayed key with how long until it is due
   * (zero or less: due, moving to its lane): a snapshot for tests and diagnostics, which say which
   * keys are still pending rather than how many.
   */
  public Pending<K> pending() {
    lock.lock();
    try {
      Set<K> waitingKeys = new LinkedHashSet<>();
      Set<K> processingKeys = new LinkedHashSet<>();
      nodes.forEach(
          (key, node) -> {
            if (node.waiting) {
              waitingKeys.add(key);
            }
            if (node.processing) {
              processingKeys.add(key);
            }
          });
      long now = clock.nanoTime();
      Map<K, Duration> delayedKeys = new LinkedHashMap<>();
      delayedByKey.values().stream()
          .sorted(Comparator.comparingLong((Delayed<K> d) -> d.readyAt))
          .forEach(d -> delayedKeys.put(d.key, Duration.ofNanos(d.readyAt - now)));
      return new Pending<>(waitingKeys, processingKeys, delayedKeys);
    } finally {
      lock.unlock();
    }
  }

  /**
   * What a queue holds at one moment ({@link #pending()}).
   *
   * @param waiting keys waiting to be handed out (one being processed too, if added again)
   * @param processing keys handed out and not done yet
   * @param delayed keys scheduled for later, soonest first, with the time until each is due
   */
  public record Pending<K>(Set<K> waiting, Set<K> processing, Map<K, Duration> delayed) {

    /** Copies the collections, so that a snapshot stays as it was when the queue changes. */
    public Pending {
      waiting = Collections.unmodifiableSet(new LinkedHashSet<>(waiting));
      processing = Collections.unmodifiableSet(new LinkedHashSet<>(processing));
      delayed = Collections.unmodifiableMap(new LinkedHashMap<>(delayed));
    }

    /** Whether nothing waits or is processed (delayed keys aside). */
    public boolean idle() {
      return waiting.isEmpty() && processing.isEmpty();
    }
  }

  /**
   * Stops the queue: later adds are ignored, delayed adds are dropped, and every blocked or later
   * {@link #get()} returns empty. Keys being processed may still be marked {@link #done}. As in
   * client-go, it also ends every {@link #shutDownWithDrain} still waiting, at once.
   */
  public void shutDown() {
    lock.lock();
    try {
      startShutDownLocked();
      draining = false;
      processingFinished.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Shuts down, then waits up to {@code timeout} (real time) for every key in flight to be {@link
   * #done}, or until {@link #shutDown} is called, which ends the wait.
   *
   * @return true if nothing was in flight any more when it returned
   */
  public boolean shutDownWithDrain(Duration timeout) throws InterruptedException {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      startShutDownLocked();
      draining = true;
      while (processing > 0 && draining) {
        if (remaining <= 0) {
          return false;
        }
        remaining = processingFinished.awaitNanos(remaining);
      }
      return processing == 0;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether {@link #shutDown} or {@link #shutDownWithDrain} has been called: the queue then takes
   * no more keys.
   */
  public boolean isShuttingDown() {
    lock.lock();
    try {
      return shuttingDown;
    } finally {
      lock.unlock();
    }
  }

  // ---- internals; every method below runs with the lock held ----

  /** Does what the first shut-down does; later calls change nothing. */
  private void startShutDownLocked() {
    if (shuttingDown) {
      return;
    }
    shuttingDown = true;
    delayed.clear();
    delayedByKey.clear();
    if (wakeUp != null) {
      wakeUp.cancel();
      wakeUp = null;
    }
    keyWaiting.signalAll();
  }

  private void addLocked(K key, Lane lane) {
    Node<K> node = nodes.get(key);
    if (node == null) {
      node = new Node<>(key);
      nodes.put(key, node);
    } else if (node.waiting) {
      promoteLocked(node, lane);
      return;
    }
    node.waiting = true;
    dirty++;
    node.lane = lane;
    if (timed) {
      node.waitingSince = clock.nanoTime();
    }
    metrics.added();
    if (!node.processing) {
      linkLocked(node);
    }
  }

  /** A waiting key asked for again in a more urgent lane moves to the back of that lane. */
  private void promoteLocked(Node<K> node, Lane lane) {
    if (lane.ordinal() >= node.lane.ordinal()) {
      return;
    }
    if (!node.processing) {
      lanes[node.lane.ordinal()].unlink(node);
      waiting--;
      node.lane = lane;
      linkLocked(node);
    } else {
      node.lane = lane;
    }
  }

  private void linkLocked(Node<K> node) {
    lanes[node.lane.ordinal()].append(node);
    waiting++;
    keyWaiting.signal();
  }

  private Node<K> handOutLocked() {
    Node<K> node = null;
    for (LaneList<K> lane : lanes) {
      node = lane.pollFirst();
      if (node != null) {
        break;
      }
    }
    // The caller checked waiting > 0, and waiting counts exactly the linked nodes.
    Objects.requireNonNull(node, "waiting > 0 but every lane is empty");
    waiting--;
    dirty--;
    node.waiting = false;
    node.processing = true;
    node.handedOutFrom = node.lane;
    processing++;
    if (timed) {
      node.processingSince = clock.nanoTime();
      node.queuedNanos = node.processingSince - node.waitingSince;
      inFlightByAge.append(node);
    }
    return node;
  }

  private Lane laneForRequeueLocked(K key) {
    Node<K> node = nodes.get(key);
    return node != null && node.processing ? node.handedOutFrom : Lane.CHANGE;
  }

  private void scheduleLocked(K key, long readyAt, Lane lane) {
    Delayed<K> existing = delayedByKey.get(key);
    if (existing != null && existing.readyAt <= readyAt) {
      existing.lane = Lane.higher(existing.lane, lane);
      return;
    }
    Lane merged = existing == null ? lane : Lane.higher(existing.lane, lane);
    Delayed<K> entry = new Delayed<>(key, readyAt, delayedSequence++, merged);
    delayedByKey.put(key, entry);
    delayed.add(entry);
    if (delayed.peek() == entry) {
      scheduleWakeUpLocked(readyAt);
    }
  }

  private void scheduleWakeUpLocked(long at) {
    if (wakeUp != null) {
      wakeUp.cancel();
    }
    wakeUp = clock.schedule(Duration.ofNanos(at - clock.nanoTime()), this::addDueDelayed);
  }

  /** Runs on the clock's timer: moves every delayed add that is due into its lane. */
  private void addDueDelayed() {
    lock.lock();
    try {
      wakeUp = null;
      if (shuttingDown) {
        return;
      }
      long now = clock.nanoTime();
      while (!delayed.isEmpty()) {
        Delayed<K> head = delayed.peek();
        boolean superseded = delayedByKey.get(head.key) != head;
        if (!superseded && head.readyAt > now) {
          scheduleWakeUpLocked(head.readyAt);
          return;
        }
        delayed.poll();
        if (!superseded) {
          delayedByKey.remove(head.key);
          addLocked(head.key, head.lane);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "WorkQueue[waiting="
          + waiting
          + ", inFlight="
          + processing
          + ", delayed="
          + delayedByKey.size()
          + (shuttingDown ? ", shutting down]" : "]");
    } finally {
      lock.unlock();
    }
  }

  /** The state of one key; also its link in the list of its lane. */
  private static final class Node<K> {
    final K key;
    boolean waiting;
    boolean processing;
    Lane lane;
    Lane handedOutFrom;
    long waitingSince;
    long processingSince;
    long queuedNanos;
    Node<K> prev;
    Node<K> next;

    Node(K key) {
      this.key = key;
    }
  }

  /** An intrusive FIFO list, so that moving a key between lanes is O(1) and allocates nothing. */
  private static final class LaneList<K> {
    Node<K> head;
    Node<K> tail;
    int size;

    void append(Node<K> node) {
      node.prev = tail;
      node.next = null;
      if (tail == null) {
        head = node;
      } else {
        tail.next = node;
      }
      tail = node;
      size++;
    }

    Node<K> pollFirst() {
      Node<K> node = head;
      if (node != null) {
        unlink(node);
      }
      return node;
    }

    void unlink(Node<K> node) {
      if (node.prev == null) {
        head = node.next;
      } else {
        node.prev.next = node.next;
      }
      if (node.next == null) {
        tail = node.prev;
      } else {
        node.next.prev = node.prev;
      }
      node.prev = null;
      node.next = null;
      size--;
    }
  }

  /** A delayed add; mutable only in its lane, which may be raised by a later request. */
  private static final class Delayed<K> {
    final K key;
    final long readyAt;
    final long sequence;
    Lane lane;

    Delayed(K key, long readyAt, long sequence, Lane lane) {
      this.key = key;
      this.readyAt = readyAt;
      this.sequence = sequence;
      this.lane = lane;
    }
  }

  /** Settings of a queue; every one has a default that works. */
  public static final class Builder<K> {
    private final String name;
    private Clock clock = Clock.system();
    private RateLimiter<K> rateLimiter;
    private MeterRegistry meterRegistry;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /** Default: {@link Clock#system()}. Tests pass a {@code ManualClock}. */
    public Builder<K> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Default: {@link ExponentialBackoffRateLimiter} with a 5 ms base and a 1000 s cap. Combine it
     * with a {@link TokenBucketRateLimiter} through {@link MaxOfRateLimiter} to bound retries
     * globally.
     */
    public Builder<K> rateLimiter(RateLimiter<K> rateLimiter) {
      this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
      return this;
    }

    /** Default: none, and then the queue records no metrics and reads no clock per key. */
    public Builder<K> meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    /**
     * A queue with these settings; without a rate limiter, per-key exponential backoff with its
     * defaults.
     */
    public WorkQueue<K> build() {
      if (rateLimiter == null) {
        rateLimiter = new ExponentialBackoffRateLimiter<>();
      }
      return new WorkQueue<>(this);
    }
  }
}
