/**
 * Service convergence: the pure planner (desired x observed to actions) and the reconciler that
 * carries its plan out and writes status.
 *
 * <p><b>Internal</b>: wired by BerthNode, public for its tests and the runner; not part of Berth's
 * API, it may change in any release.
 */
package dev.berth.reconcilers.service;
