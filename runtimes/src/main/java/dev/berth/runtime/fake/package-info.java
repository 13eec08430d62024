/**
 * An in-memory runtime with fault injection (failure rates, latency, kills, lost state), for
 * embedders' tests and benchmarks.
 */
package dev.berth.runtime.fake;
