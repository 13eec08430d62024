/**
 * The {@code berth operator} process around the kubernetes module's operator.
 *
 * <p><b>Internal</b>: the runner is an application; not part of Berth's API, it may change in any
 * release.
 */
package dev.berth.runner.operator;
