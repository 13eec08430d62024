package dev.berth.runner;

import picocli.CommandLine.IVersionProvider;

/**
 * Berth's version, as the jar's manifest says; {@code dev} when run from classes (an IDE, tests).
 * The one source of the version: the agent reports it in its node status, and {@code berth version}
 * and {@code berth --version} print it.
 */
public final class BerthVersion implements IVersionProvider {

  /** The version when the classes do not come from a built jar (an IDE, the tests). */
  public static final String DEVELOPMENT = "dev";

  /** The jar's {@code Implementation-Version}, or {@link #DEVELOPMENT} when run from classes. */
  public static String current() {
    String version = BerthVersion.class.getPackage().getImplementationVersion();
    return version == null || version.isBlank() ? DEVELOPMENT : version;
  }

  /** The lines {@code berth version} and {@code berth --version} print. */
  public static String[] lines() {
    return new String[] {
      "berth " + current(),
      "java "
          + Runtime.version()
          + " ("
          + System.getProperty("java.vm.name", "?")
          + ", "
          + System.getProperty("java.vendor", "?")
          + ")"
    };
  }

  /** picocli's hook for {@code --version}. */
  @Override
  public String[] getVersion() {
    return lines();
  }
}
