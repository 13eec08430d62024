/**
 * What a declaration is: {@link dev.berth.spec.model.ServiceSpec}, its {@link
 * dev.berth.spec.model.ComponentSpec}s and their routes, ports, volumes, probes and update
 * settings, as immutable values.
 */
package dev.berth.spec.model;
