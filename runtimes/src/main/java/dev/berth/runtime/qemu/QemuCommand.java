package dev.berth.runtime.qemu;

import dev.berth.runtime.PortBinding;
import dev.berth.runtime.WorkloadSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The QEMU command line of a VM. For a kernel image and one port:
 *
 * <pre>
 * qemu-system-x86_64 -name guest=NAME -machine q35 -accel tcg -m 256 -smp 1
 *   -nodefaults -no-user-config -display none -no-reboot
 *   -kernel IMAGE/kernel -initrd IMAGE/initrd -append 'ENV ARGS'
 *   -chardev file,id=console,path=DIR/console.log,append=on -serial chardev:console
 *   -nic user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:8080-:80
 *   -qmp unix:DIR/qmp.sock,server=on,wait=off
 *   -pidfile DIR/qemu.pid -daemonize
 * </pre>
 */
final class QemuCommand {

  /** Where forwarded ports listen when a binding names no host address: never the world. */
  static final String DEFAULT_HOST_IP = "127.0.0.1";

  private QemuCommand() {}

  static List<String> of(QemuConfig config, WorkloadSpec spec, VmImage image, VmDirectory dir) {
    List<String> argv = new ArrayList<>();
    argv.add(config.binary());
    argv.addAll(List.of("-name", "guest=" + escape(spec.name())));
    argv.addAll(List.of("-machine", config.machine(), "-accel", config.accel()));
    if (config.cpu() != null) {
      argv.addAll(List.of("-cpu", config.cpu()));
    }
    long memoryMb = spec.memoryMb() > 0 ? spec.memoryMb() : config.memoryMb();
    int vcpus = spec.vcpus() > 0 ? spec.vcpus() : config.vcpus();
    argv.addAll(List.of("-m", Long.toString(memoryMb), "-smp", Integer.toString(vcpus)));
    // Only the devices asked for below: no default NIC, VGA, monitor or parallel port, and no
    // host-wide QEMU config files that would make a VM depend on the node it runs on.
    argv.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none"));
    // A guest reboot ends QEMU as a power-off does: the runtime sees the VM die, and whether it
    // comes back is the reconcilers' decision, as for any workload that exits.
    argv.add("-no-reboot");

    if (image instanceof VmImage.Kernel kernel) {
      argv.addAll(List.of("-kernel", kernel.kernel().toString()));
      if (kernel.initrd() != null) {
        argv.addAll(List.of("-initrd", kernel.initrd().toString()));
      }
      String commandLine = KernelCommandLine.of(spec.env(), spec.args());
      if (!commandLine.isEmpty()) {
        argv.addAll(List.of("-append", commandLine));
      }
    } else if (image instanceof VmImage.Disk disk) {
      String file = escape(disk.file().toString());
      argv.addAll(
          List.of(
              "-drive", "file=" + file + ",format=" + disk.format() + ",if=virtio,snapshot=on"));
    }

    // append=on: QEMU opens the log with O_APPEND, so a rotation (copy, then truncate) leaves its
    // next write at the start of the emptied file instead of at its old offset.
    argv.addAll(
        List.of(
            "-chardev",
            "file,id=console,path=" + escape(dir.consoleLog().toString()) + ",append=on",
            "-serial",
            "chardev:console"));
    StringBuilder nic = new StringBuilder("user,model=").append(config.nicModel());
    for (PortBinding port : spec.ports()) {
      nic.append(",hostfwd=tcp:")
          .append(hostIp(port))
          .append(':')
          .append(port.hostPort())
          .append("-:")
          .append(port.containerPort());
    }
    argv.addAll(List.of("-nic", nic.toString()));
    argv.addAll(
        List.of("-qmp", "unix:" + escape(dir.qmpSocket().toString()) + ",server=on,wait=off"));
    // -daemonize: QEMU detaches into its own session once it is set up, so it outlives the agent;
    // the parent exits only then, with an error status (and message) if setting up failed.
    argv.addAll(List.of("-pidfile", dir.pidFile().toString(), "-daemonize"));
    return argv;
  }

  static String hostIp(PortBinding port) {
    return port.hostIp() == null || port.hostIp().isBlank() ? DEFAULT_HOST_IP : port.hostIp();
  }

  /** In QEMU's key=value,key=value options a comma inside a value is written twice. */
  static String escape(String value) {
    return value.replace(",", ",,");
  }
}
