/**
 * Secrets from the files of a watched directory: their digests in the spec hash, their values read
 * only to create a workload.
 */
package dev.berth.reconcilers.secret;
