package dev.berth.runner;

/**
 * Berth's version, as the jar's manifest says; {@code dev} when run from classes (an IDE, tests).
 */
public final class BerthVersion {

  private BerthVersion() {}

  /** The version when the classes do not come from a built jar (an IDE, the tests). */
  public static final String DEVELOPMENT = "dev";

  public static String current() {
    String version = BerthVersion.class.getPackage().getImplementationVersion();
    return version == null || version.isBlank() ? DEVELOPMENT : version;
  }
}
