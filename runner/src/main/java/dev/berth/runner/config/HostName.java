package dev.berth.runner.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** This machine's name, the default node name. */
final class HostName {

  /** The kernel's own name for the machine: no DNS involved, unlike InetAddress's. */
  private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

  private HostName() {}

  static String local() {
    try {
      String name = Files.readString(KERNEL_HOSTNAME).strip();
      if (!name.isEmpty()) {
        return name.toLowerCase(Locale.ROOT);
      }
    } catch (IOException | SecurityException e) {
      // not Linux: ask the JDK
    }
    try {
      return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
    } catch (IOException e) {
      return "localhost";
    }
  }
}
