/**
 * Workload identity: the labels Berth puts on what it runs, the spec hash that tells a changed
 * component from an unchanged one, and the {@code PORT}/{@code PORT_<NAME>} rule.
 */
package dev.berth.spec.identity;
