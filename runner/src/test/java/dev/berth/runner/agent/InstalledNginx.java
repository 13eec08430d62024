package dev.berth.runner.agent;

import static org.junit.jupiter.api.Assertions.fail;

import dev.berth.reconcilers.route.nginx.NginxConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether the runner's nginx tests can run: nginx with its stream module. Where they cannot, the
 * tests are skipped saying why; with {@code CI=true} they fail instead, as the reconcilers' nginx
 * tests do, because CI installs nginx and a skip there would hide a broken setup.
 */
public final class InstalledNginx {

  private InstalledNginx() {}

  /** Skips (or under CI fails) the calling test unless nginx and its stream module are there. */
  public static void require() throws InterruptedException {
    String version;
    try {
      Process process = new ProcessBuilder("nginx", "-V").redirectErrorStream(true).start();
      version = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        cannotRun("nginx -V fails: " + version);
      }
    } catch (IOException e) {
      cannotRun("nginx is not installed (apt-get install nginx): " + e.getMessage());
      return;
    }
    if (version.contains("--with-stream=dynamic")
        && !Files.isRegularFile(NginxConfig.DEFAULT_STREAM_MODULE)) {
      cannotRun("nginx's stream module is missing (apt-get install libnginx-mod-stream)");
    }
  }

  private static void cannotRun(String why) {
    if ("true".equals(System.getenv("CI"))) {
      fail("nginx tests cannot run, and CI=true forbids a skip: " + why);
    }
    Assumptions.abort("nginx tests skipped: " + why);
  }
}
