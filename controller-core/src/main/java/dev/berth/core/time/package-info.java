/**
 * The engine's clock: the system one, and a {@link dev.berth.core.time.ManualClock} that only moves
 * when a test moves it.
 */
package dev.berth.core.time;
