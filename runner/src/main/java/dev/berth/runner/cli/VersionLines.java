package dev.berth.runner.cli;

import dev.berth.runner.BerthVersion;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code berth version} and {@code --version} print: this build's version (from {@link
 * BerthVersion}, the one source) and the Java it runs on.
 */
public final class VersionLines implements IVersionProvider {

  /** The lines {@code berth version} and {@code berth --version} print. */
  public static String[] lines() {
    return new String[] {
      "berth " + BerthVersion.current(),
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
