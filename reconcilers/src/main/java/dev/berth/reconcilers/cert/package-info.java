/**
 * Certificates for L7 routes: a pure planner and the reconciler that acts on its plan, the {@link
 * dev.berth.reconcilers.cert.CertificateIssuer} SPI (the local CA here, ACME in the berth-acme
 * module) and the policy that picks one per hostname.
 */
package dev.berth.reconcilers.cert;
