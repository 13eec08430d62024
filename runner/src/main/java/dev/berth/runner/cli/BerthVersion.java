package dev.berth.runner.cli;

import picocli.CommandLine.IVersionProvider;

/** This build's version, from the jar's manifest, and the Java it runs on. */
public final class BerthVersion implements IVersionProvider {

  /** The version when the classes do not come from a built jar (an IDE, the tests). */
  public static final String DEVELOPMENT = "dev";

  /** The jar's {@code Implementation-Version}, or {@value #DEVELOPMENT}. */
  public static String version() {
    String version = BerthVersion.class.getPackage().getImplementationVersion();
    return version == null || version.isBlank() ? DEVELOPMENT : version;
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
