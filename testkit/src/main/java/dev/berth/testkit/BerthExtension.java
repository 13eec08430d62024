package dev.berth.testkit;

import dev.berth.reconcilers.node.BerthNode;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh {@link BerthTestKit} for every test, closed after it:
 *
 * <pre>{@code
 * @RegisterExtension BerthExtension berth = new BerthExtension();
 *
 * @Test
 * void webRuns() {
 *   berth.kit().declare(ServiceSpec.of("shop", ComponentSpec.container("web", "localhost/web:1")));
 *   berth.kit().converge();
 *   ...
 * }
 * }</pre>
 *
 * <p>It is the kit's only use of JUnit, whose {@code junit-jupiter-api} the kit's pom declares
 * optional: a test that registers it has JUnit Jupiter 5 (or later) on its class path already, in
 * the version of its own choosing; {@link BerthTestKit} alone needs no JUnit at all. Loops of the
 * embedder's own go in through the node's builder ({@code new BerthExtension(node ->
 * node.controller(...))}), and {@link BerthTestKit#convergeUntilIdle()} runs them with Berth's.
 */
public final class BerthExtension implements BeforeEachCallback, AfterEachCallback {

  private final Consumer<BerthNode.Builder> customize;
  private BerthTestKit kit;

  /** A fresh kit for each test, with Berth's default loops. */
  public BerthExtension() {
    this(b -> {});
  }

  /** With the node configured further (stages, a backoff) before each test. */
  public BerthExtension(Consumer<BerthNode.Builder> customize) {
    this.customize = customize;
  }

  /**
   * The kit of the test that runs now.
   *
   * @throws IllegalStateException outside a test
   */
  public BerthTestKit kit() {
    if (kit == null) {
      throw new IllegalStateException("the kit exists only while a test runs");
    }
    return kit;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    kit = BerthTestKit.start(customize);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (kit != null) {
      kit.close();
      kit = null;
    }
  }
}
