/**
 * Controllers and their manager: a {@link dev.berth.core.controller.Controller} runs a {@link
 * dev.berth.core.reconcile.Reconciler} over a work queue with workers, a key lister's periodic
 * resync and an optional gate, and a {@link dev.berth.core.controller.Manager} starts and stops
 * several on one clock.
 */
package dev.berth.core.controller;
