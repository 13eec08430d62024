/**
 * Reading TOML for the service-definition files and the agent's configuration file: a parse that
 * reports line and column, and tables whose reads name each bad field by its path.
 *
 * <p><b>Internal</b>: shared by {@link dev.berth.store.file} and the runner; not part of Berth's
 * API, it may change in any release. An embedder reads service-definition files through {@link
 * dev.berth.store.file}.
 */
package dev.berth.store.toml;
