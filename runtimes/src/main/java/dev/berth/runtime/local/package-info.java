/**
 * What the process and QEMU runtimes share: state files on disk, process identity and log files.
 *
 * <p><b>Internal</b>: machinery of the runtimes in this module; not part of Berth's API, it may
 * change in any release.
 */
package dev.berth.runtime.local;
