package dev.berth.runtime.qemu;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a cpio archive in the "newc" format, the one the Linux kernel unpacks as an initramfs:
 * each entry is a 110-byte ASCII header of hexadecimal fields, its name, and its data, each padded
 * to four bytes; a "TRAILER!!!" entry ends it. Written here, rather than with the cpio tool, so
 * that the tests need one tool fewer on the machine.
 */
final class CpioArchive {

  private static final int DIRECTORY = 0040000;
  private static final int REGULAR = 0100000;
  private static final int SYMLINK = 0120000;
  private static final int CHARACTER_DEVICE = 0020000;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private int inode = 1;

  CpioArchive directory(String name) {
    return entry(name, DIRECTORY | 0755, new byte[0], 0, 0);
  }

  CpioArchive file(String name, int permissions, byte[] content) {
    return entry(name, REGULAR | permissions, content, 0, 0);
  }

  CpioArchive symlink(String name, String target) {
    return entry(name, SYMLINK | 0777, target.getBytes(StandardCharsets.UTF_8), 0, 0);
  }

  CpioArchive characterDevice(String name, int major, int minor) {
    return entry(name, CHARACTER_DEVICE | 0600, new byte[0], major, minor);
  }

  byte[] toBytes() {
    entry("TRAILER!!!", 0, new byte[0], 0, 0);
    return out.toByteArray();
  }

  private CpioArchive entry(String name, int mode, byte[] data, int rdevMajor, int rdevMinor) {
    byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
    boolean directory = (mode & 0170000) == DIRECTORY;
    StringBuilder header = new StringBuilder("070701");
    for (long field :
        new long[] {
          inode++, // c_ino
          mode, // c_mode
          0, // c_uid
          0, // c_gid
          directory ? 2 : 1, // c_nlink
          0, // c_mtime
          data.length, // c_filesize
          0, // c_devmajor
          0, // c_devminor
          rdevMajor, // c_rdevmajor
          rdevMinor, // c_rdevminor
          nameBytes.length, // c_namesize, with the terminating zero
          0 // c_check
        }) {
      header.append(String.format("%08x", field));
    }
    out.writeBytes(header.toString().getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(nameBytes);
    pad();
    out.writeBytes(data);
    pad();
    return this;
  }

  private void pad() {
    while (out.size() % 4 != 0) {
      out.write(0);
    }
  }
}
