package dev.berth.testkit;

import dev.berth.runtime.Workload;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.ServiceSpec;

/** A program that uses the kit with no test framework: run by {@link KitWithoutJUnitTest}. */
public final class KitWithoutJUnit {

  private KitWithoutJUnit() {}

  public static void main(String[] args) {
    try {
      Class.forName("org.junit.jupiter.api.Test");
      throw new IllegalStateException("JUnit is on this JVM's class path");
    } catch (ClassNotFoundException expected) {
      // as it should be
    }
    try (BerthTestKit kit = BerthTestKit.start()) {
      kit.declare(ServiceSpec.of("shop", ComponentSpec.container("web", "localhost/web:1")));
      kit.convergeUntilIdle();
      System.out.println(
          "running: " + kit.workload("shop", "web").map(Workload::running).orElse(false));
    }
  }
}
