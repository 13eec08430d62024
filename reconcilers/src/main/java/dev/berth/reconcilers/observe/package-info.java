/**
 * The node's cache of its workloads and who owns them.
 *
 * <p><b>Internal</b>: used by the node's loops; not part of Berth's API, it may change in any
 * release.
 */
package dev.berth.reconcilers.observe;
