package dev.berth.bench;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.ApplyResult;
import dev.berth.store.registry.ComponentStatus;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import dev.berth.store.registry.StoredService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The registry on a real file: applying a large declaration in one transaction, reading every
 * desired spec back, as a controller's resync does, and the price of one durable declaration.
 */
public class RegistryBenchmark {

  /** Services of three components each, two of them with a route, as a typical node declares. */
  static List<ServiceSpec> services(int from, int count) {
    List<ServiceSpec> services = new ArrayList<>(count);
    for (int i = from; i < from + count; i++) {
      String name = "svc-" + i;
      services.add(
          ServiceSpec.of(
              name,
              ComponentSpec.container("web", "registry.example:5000/team/web:1.4." + (i % 7))
                  .withRoutes(
                      List.of(new RouteSpec("https", 443, RouteMode.L7, name + ".example.com"))),
              ComponentSpec.container("api", "registry.example:5000/team/api:2.0.1")
                  .withRoutes(
                      List.of(new RouteSpec("grpc", 8443, RouteMode.L4, name + ".example.com"))),
              ComponentSpec.container("db", "registry.example:5000/library/postgres:16.4")));
    }
    return services;
  }

  static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("berth-bench-registry");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Applies 1 000 services x 3 components to an empty registry, in one transaction. */
  @State(Scope.Thread)
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 5)
  @Measurement(iterations = 15)
  @Fork(1)
  public static class ApplyThousand {
    private final List<ServiceSpec> specs = services(0, 1000);
    private Path directory;
    private Registry registry;

    @Setup(Level.Invocation)
    public void openEmptyRegistry() {
      directory = temporaryDirectory();
      registry = Registry.open(RegistryConfig.at(directory));
    }

    @Benchmark
    public ApplyResult applyThousandServicesOfThreeComponents() {
      return registry
          .services()
          .apply(new ApplyRequest(specs, "bench", false, false, Map.of(), false));
    }

    @TearDown(Level.Invocation)
    public void closeAndDelete() {
      registry.close();
      delete(directory);
    }
  }

  /** Reads every desired spec of a registry holding 10 000 services x 3 components. */
  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(1)
  public static class ReadTenThousand {
    private Path directory;
    private Registry registry;

    @Setup(Level.Trial)
    public void fill() {
      directory = temporaryDirectory();
      registry = Registry.open(RegistryConfig.at(directory));
      for (int batch = 0; batch < 10; batch++) {
        registry
            .services()
            .apply(
                new ApplyRequest(
                    services(batch * 1000, 1000), "bench", false, false, Map.of(), false));
      }
    }

    @Benchmark
    public List<StoredService> readAllDesiredSpecs() {
      List<StoredService> all = registry.services().list();
      if (all.size() != 10_000) {
        throw new IllegalStateException("expected 10 000 services, read " + all.size());
      }
      return all;
    }

    @TearDown(Level.Trial)
    public void closeAndDelete() {
      registry.close();
      delete(directory);
    }
  }

  /**
   * One write at a time to a registry on disk, side by side: a declaration (one changed service,
   * committed and flushed to the disk with fsync before it returns) against an observed-state write
   * (one component's status, committed but not fsynced), and beside both the disk's own price of
   * one fsync (4 KiB written to a file in the same directory and forced).
   */
  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(1)
  public static class OneWrite {
    private Path directory;
    private Registry registry;
    private FileChannel scratch;
    private final ByteBuffer block = ByteBuffer.allocate(4096);
    private long writes;

    @Setup(Level.Trial)
    public void open() throws IOException {
      directory = temporaryDirectory();
      registry = Registry.open(RegistryConfig.at(directory));
      registry.services().apply(ApplyRequest.of("bench", services(0, 1)));
      scratch =
          FileChannel.open(
              directory.resolve("scratch"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    @Benchmark
    public void fsyncAlone() throws IOException {
      block.clear();
      block.putLong(0, writes++);
      scratch.write(block, 0);
      scratch.force(true);
    }

    @Benchmark
    public ApplyResult declarationFsynced() {
      ServiceSpec changed = services(0, 1).get(0).withComment("write " + writes++);
      return registry.services().apply(ApplyRequest.of("bench", List.of(changed)));
    }

    @Benchmark
    public int observedStateNotFsynced() {
      Instant now = Instant.now();
      return registry
          .status()
          .putAll(
              List.of(
                  new ComponentStatus(
                      "svc-0",
                      "web",
                      "container",
                      "running",
                      "id",
                      "web:1",
                      "hash",
                      1,
                      null,
                      now,
                      "write " + writes++,
                      now)));
    }

    @TearDown(Level.Trial)
    public void closeAndDelete() throws IOException {
      scratch.close();
      registry.close();
      delete(directory);
    }
  }
}
