/**
 * Host processes under a small supervisor that outlives the agent, with their logs, exit status and
 * cgroup limits.
 */
package dev.berth.runtime.process;
