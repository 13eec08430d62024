package dev.berth.runner.cli;

import picocli.CommandLine.IVersionProvider;

/** This build's version, from the jar's manifest, and the Java it runs on. */
public final class BerthVersion implements IVersionProvider {

  /** The jar's {@code Implementation-Version}, or {@code dev} when run from classes. */
  public static String version() {
    return dev.berth.runner.BerthVersion.current();
  }

  /** The lines {@code berth version} and {@code berth --version} print. */
  public static String[] lines() {
    return new String[] {
      "berth " + version(),
      "java "
          + Runtime.version()
          + " ("
          + System.getProperty("java.vm.name", "?")
          + ", "
          + System.getProperty("java.vendor", "?")
          + ")"
    };
  }

  @Override
  public String[] getVersion() {
    return lines();
  }
}
