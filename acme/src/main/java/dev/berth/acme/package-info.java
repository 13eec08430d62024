/**
 * The ACME (RFC 8555) certificate issuer, {@link dev.berth.acme.AcmeIssuer}, and its http-01
 * responders; give it to the node's {@code IssuerPolicy} as the public issuer. An optional module,
 * so that an embedding that issues no public certificate carries no acme4j.
 */
package dev.berth.acme;
