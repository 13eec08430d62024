/** Containers through podman's command line and its JSON output. */
package dev.berth.runtime.podman;
