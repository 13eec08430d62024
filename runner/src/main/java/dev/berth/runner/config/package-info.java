/**
 * The agent's configuration file: read, checked key by key, and described.
 *
 * <p><b>Internal</b>: the runner is an application; the file's keys are documented in
 * docs/configuration.md; not part of Berth's API, it may change in any release.
 */
package dev.berth.runner.config;
