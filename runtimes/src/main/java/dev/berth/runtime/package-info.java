/**
 * The runtime SPI, {@link dev.berth.runtime.WorkloadRuntime}: ensure an image, create, start, stop,
 * remove, inspect and list workloads by label, their logs and events.
 */
package dev.berth.runtime;
