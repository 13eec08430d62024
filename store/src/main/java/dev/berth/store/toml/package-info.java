/** Reading and writing TOML for the service-definition files. */
package dev.berth.store.toml;
