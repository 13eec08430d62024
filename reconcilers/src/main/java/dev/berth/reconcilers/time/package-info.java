/**
 * The wall clock of the node's status and events, which a manual engine clock can drive in tests.
 */
package dev.berth.reconcilers.time;
