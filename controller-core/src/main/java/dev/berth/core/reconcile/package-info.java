/**
 * What a reconcile is: {@link dev.berth.core.reconcile.Reconciler}, the {@link
 * dev.berth.core.reconcile.Result} it returns, and {@link
 * dev.berth.core.reconcile.TerminalException} for failures that retrying cannot fix.
 */
package dev.berth.core.reconcile;
