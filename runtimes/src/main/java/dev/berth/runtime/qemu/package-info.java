/** Unikernel VMs under QEMU, controlled through QMP. */
package dev.berth.runtime.qemu;
