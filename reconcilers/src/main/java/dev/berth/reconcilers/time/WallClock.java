package dev.berth.reconcilers.time;

import dev.berth.core.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A wall clock that moves with an engine {@link Clock}: real time in production, and in tests the
 * same {@code ManualClock} that drives the work queues, so timestamps in status and the crash-loop
 * backoff stay deterministic.
 */
public final class WallClock extends java.time.Clock {

  private final Clock engine;
  private final Instant origin;
  private final long originNanos;

  private WallClock(Clock engine, Instant origin) {
    this.engine = engine;
    this.origin = origin;
    this.originNanos = engine.nanoTime();
  }

  /** Wall time starting at {@code origin} now and advancing as {@code engine} does. */
  public static WallClock of(Clock engine, Instant origin) {
    return new WallClock(engine, origin);
  }

  /** Wall time starting at the system's current time. */
  public static WallClock of(Clock engine) {
    return new WallClock(engine, Instant.now());
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(engine.nanoTime() - originNanos);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public java.time.Clock withZone(ZoneId zone) {
    return this;
  }
}
