package dev.berth.runner;

/**
 * Berth's version, as the jar's manifest says; {@code dev} when run from classes (an IDE, tests).
 */
public final class BerthVersion {

  private BerthVersion() {}

  public static String current() {
    String version = BerthVersion.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
