package dev.berth.runtime.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.PortBinding;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The QEMU command line a spec becomes. */
class QemuCommandTest {

  private static final VmDirectory DIR =
      new VmDirectory(Path.of("/var/lib/berth/vm/vm-0123456789ab"));

  @Test
  void aKernelImageBootsDirectlyWithTheEnvAndArgsAsItsCommandLine() {
    WorkloadSpec spec =
        WorkloadSpec.builder("edge", WorkloadKind.UNIKERNEL)
            .image("/images/edge")
            .env("PORT_WEB", "8080")
            .args("console=ttyS0", "quiet")
            .ports(
                new PortBinding("web", null, 8080, 80),
                new PortBinding("admin", "127.0.0.2", 9090, 9000))
            .memoryMb(512)
            .vcpus(2)
            .build();
    VmImage image =
        new VmImage.Kernel(Path.of("/images/edge/kernel"), Path.of("/images/edge/initrd"));

    List<String> argv =
        QemuCommand.of(QemuConfig.of(Path.of("/var/lib/berth/vm")), spec, image, DIR);

    assertThat(argv)
        .containsExactly(
            "qemu-system-x86_64",
            "-name",
            "guest=edge",
            "-machine",
            "q35",
            "-accel",
            "tcg",
            "-m",
            "512",
            "-smp",
            "2",
            "-nodefaults",
            "-no-user-config",
            "-display",
            "none",
            "-no-reboot",
            "-kernel",
            "/images/edge/kernel",
            "-initrd",
            "/images/edge/initrd",
            "-append",
            "PORT_WEB=8080 console=ttyS0 quiet",
            "-chardev",
            "file,id=console,path=/var/lib/berth/vm/vm-0123456789ab/console.log,append=on",
            "-serial",
            "chardev:console",
            "-nic",
            "user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:8080-:80,"
                + "hostfwd=tcp:127.0.0.2:9090-:9000",
            "-qmp",
            "unix:/var/lib/berth/vm/vm-0123456789ab/qmp.sock,server=on,wait=off",
            "-pidfile",
            "/var/lib/berth/vm/vm-0123456789ab/qemu.pid",
            "-daemonize");
  }

  @Test
  void aDiskImageIsAVirtioDiskThatTheGuestNeverWrites() {
    WorkloadSpec spec =
        WorkloadSpec.builder("db", WorkloadKind.UNIKERNEL).image("/images/db,v2.img").build();

    List<String> argv =
        QemuCommand.of(
            QemuConfig.of(DIR.path().getParent()),
            spec,
            new VmImage.Disk(Path.of("/images/db,v2.img"), "qcow2"),
            DIR);

    assertThat(argv)
        .containsSequence("-drive", "file=/images/db,,v2.img,format=qcow2,if=virtio,snapshot=on")
        .doesNotContain("-kernel", "-append");
  }

  @Test
  void theConfigGivesAcceleratorMachineCpuNicAndTheDefaultsForZero() {
    QemuConfig config =
        QemuConfig.builder(DIR.path().getParent())
            .binary("/opt/qemu/bin/qemu-system-x86_64")
            .accel("kvm")
            .machine("microvm")
            .cpu("host")
            .nicModel("virtio-net-device")
            .memoryMb(128)
            .vcpus(4)
            .build();
    WorkloadSpec spec =
        WorkloadSpec.builder("edge, the first", WorkloadKind.UNIKERNEL).image("/i").build();

    List<String> argv =
        QemuCommand.of(config, spec, new VmImage.Kernel(Path.of("/i/kernel"), null), DIR);

    assertThat(argv.get(0)).isEqualTo("/opt/qemu/bin/qemu-system-x86_64");
    assertThat(argv)
        .containsSequence("-name", "guest=edge,, the first")
        .containsSequence("-machine", "microvm", "-accel", "kvm", "-cpu", "host")
        .containsSequence("-m", "128", "-smp", "4")
        .containsSequence("-nic", "user,model=virtio-net-device")
        .doesNotContain("-initrd", "-append");
  }
}
