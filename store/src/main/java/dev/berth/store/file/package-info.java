/**
 * Service-definition files: TOML files read into validated {@link
 * dev.berth.spec.model.ServiceSpec}s, each error named by file, line and field.
 */
package dev.berth.store.file;
