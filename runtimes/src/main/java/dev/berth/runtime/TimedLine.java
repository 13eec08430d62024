package dev.berth.runtime;

import java.time.Instant;

/**
 * A line of a workload's output with when the runtime recorded it.
 *
 * @param time when it was written, as the runtime recorded it
 * @param text the line, without its time
 */
public record TimedLine(Instant time, String text) {}
