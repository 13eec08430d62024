/**
 * The agent: its configuration turned into a node (runtimes, proxy, issuers, probers), started and
 * stopped.
 *
 * <p><b>Internal</b>: the runner is an application; not part of Berth's API, it may change in any
 * release.
 */
package dev.berth.runner.agent;
