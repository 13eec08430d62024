/**
 * Ordered stages with readiness gates: keys of a later stage are held until the earlier stages are
 * ready, as a requeue, never a blocked thread.
 */
package dev.berth.core.stage;
