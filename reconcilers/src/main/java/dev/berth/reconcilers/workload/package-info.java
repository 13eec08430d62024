/**
 * What a component becomes on a runtime: its workload's name, labels and spec hash.
 *
 * <p><b>Internal</b>: used by the service loop; not part of Berth's API, it may change in any
 * release.
 */
package dev.berth.reconcilers.workload;
