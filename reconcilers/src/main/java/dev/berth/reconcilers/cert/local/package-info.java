/** A local certificate authority, for internal names that no public CA signs. */
package dev.berth.reconcilers.cert.local;
