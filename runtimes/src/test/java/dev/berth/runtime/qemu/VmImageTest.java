package dev.berth.runtime.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a unikernel spec's image names. */
class VmImageTest {

  @TempDir Path temporary;

  @Test
  void aDirectoryWithAKernelAndAnInitrdBootsBoth() throws IOException {
    Path directory = Files.createDirectories(temporary.resolve("edge"));
    Files.createFile(directory.resolve("kernel"));
    Files.createFile(directory.resolve("initrd"));

    assertThat(VmImage.resolve(directory.toString()))
        .isEqualTo(new VmImage.Kernel(directory.resolve("kernel"), directory.resolve("initrd")));
  }

  @Test
  void theInitrdIsOptional() throws IOException {
    Path directory = Files.createDirectories(temporary.resolve("edge"));
    Files.createFile(directory.resolve("kernel"));

    assertThat(VmImage.resolve(directory.toString()))
        .isEqualTo(new VmImage.Kernel(directory.resolve("kernel"), null));
  }

  @Test
  void aDirectoryWithoutAKernelBootsItsDiskImg() throws IOException {
    Path directory = Files.createDirectories(temporary.resolve("edge"));
    Path disk = Files.write(directory.resolve("disk.img"), new byte[] {0x55, (byte) 0xaa});

    assertThat(VmImage.resolve(directory.toString())).isEqualTo(new VmImage.Disk(disk, "raw"));
  }

  @Test
  void aFileIsADiskWhoseFormatItsFirstBytesTell() throws IOException {
    Path raw = Files.write(temporary.resolve("raw.img"), new byte[] {0x55, (byte) 0xaa});
    Path qcow2 =
        Files.write(temporary.resolve("disk.qcow2"), new byte[] {'Q', 'F', 'I', (byte) 0xfb, 0, 0});
    Path empty = Files.createFile(temporary.resolve("empty.img"));

    assertThat(VmImage.resolve(raw.toString())).isEqualTo(new VmImage.Disk(raw, "raw"));
    assertThat(VmImage.resolve(qcow2.toString())).isEqualTo(new VmImage.Disk(qcow2, "qcow2"));
    assertThat(VmImage.resolve(empty.toString())).isEqualTo(new VmImage.Disk(empty, "raw"));
  }

  @Test
  void nothingThereOrADirectoryWithoutAKernelIsImageMissing() throws IOException {
    Path onlyInitrd = Files.createDirectories(temporary.resolve("edge"));
    Files.createFile(onlyInitrd.resolve("initrd"));

    assertReason(temporary.resolve("absent").toString(), Reason.IMAGE_MISSING);
    assertReason(onlyInitrd.toString(), Reason.IMAGE_MISSING);
  }

  @Test
  void anImageMustBeAnAbsolutePath() {
    assertReason("images/edge", Reason.INVALID_SPEC);
    assertReason(null, Reason.INVALID_SPEC);
    assertReason(" ", Reason.INVALID_SPEC);
  }

  private static void assertReason(String image, Reason reason) {
    assertThatThrownBy(() -> VmImage.resolve(image))
        .isInstanceOfSatisfying(
            RuntimeFailure.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
