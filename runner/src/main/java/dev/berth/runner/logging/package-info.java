/**
 * The agent's log lines as their reader wants them: plain text on a terminal, journald's priority
 * prefixes under systemd, JSON for a collector ({@link dev.berth.runner.logging.LogFormat} picks
 * the logback configuration of each).
 */
package dev.berth.runner.logging;
