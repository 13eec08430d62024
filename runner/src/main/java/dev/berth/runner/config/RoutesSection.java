package dev.berth.runner.config;

import dev.berth.reconcilers.route.nginx.NginxConfig;
import dev.berth.spec.validation.Rules;
import dev.berth.store.toml.Table;
import java.nio.file.Path;
import java.util.List;

/** Reads {@code [routes]}. */
final class RoutesSection {

  static final List<String> KEYS = ConfigKeys.in("routes");

  private RoutesSection() {}

  static RoutesConfig read(Table routes, Path dataDir) {
    routes.rejectUnknownKeys(KEYS);
    // Read in the order of the keys, so that problems are reported in that order.
    String nginx =
        RuntimesSection.program(
            routes,
            "nginx",
            routes.string("nginx", NginxConfig.DEFAULT_BINARY),
            NginxConfig.DEFAULT_BINARY);
    Path confDir = routes.path("conf_dir");
    Path prefix = routes.path("prefix");
    boolean enabled = routes.bool("enabled", RoutesConfig.DEFAULT_ENABLED);
    NginxConfig.Builder builder =
        NginxConfig.builder(
                confDir != null ? confDir : dataDir.resolve(RoutesConfig.DEFAULT_CONF_DIR),
                prefix != null ? prefix : dataDir.resolve(RoutesConfig.DEFAULT_PREFIX))
            .binary(nginx)
            .listenAddress(listenAddress(routes))
            .streamModule(streamModule(routes))
            .startIfNotRunning(
                routes.bool("start_nginx", NginxConfig.DEFAULT_START_IF_NOT_RUNNING));
    boolean stopNginxOnExit =
        routes.bool("stop_nginx_on_exit", RoutesConfig.DEFAULT_STOP_NGINX_ON_EXIT);
    NginxConfig config =
        builder
            .commandTimeout(routes.duration("command_timeout", NginxConfig.DEFAULT_COMMAND_TIMEOUT))
            .reloadTimeout(routes.duration("reload_timeout", NginxConfig.DEFAULT_RELOAD_TIMEOUT))
            .stopTimeout(routes.duration("stop_timeout", NginxConfig.DEFAULT_STOP_TIMEOUT))
            .build();
    return new RoutesConfig(enabled, config, stopNginxOnExit, defaultDomain(routes));
  }

  /** Absent or {@code ""}: none, and an l7 route without a hostname is refused at apply. */
  private static String defaultDomain(Table routes) {
    String text = routes.string("default_domain", "");
    if (text.isEmpty()) {
      return null;
    }
    String broken = Rules.hostname(text, false);
    if (broken != null) {
      routes.report("default_domain", broken);
      return null;
    }
    return text;
  }

  /** An IP address as nginx's {@code listen} takes it; empty means every IPv4 interface. */
  private static String listenAddress(Table routes) {
    String text = routes.string("listen_address", "");
    if (text.isEmpty()) {
      return NginxConfig.DEFAULT_LISTEN_ADDRESS;
    }
    String broken = NginxConfig.listenAddress(text);
    if (broken != null) {
      routes.report("listen_address", broken);
      return NginxConfig.DEFAULT_LISTEN_ADDRESS;
    }
    return text;
  }

  /** Absent: the default path; {@code ""}: none (built into nginx). */
  private static Path streamModule(Table routes) {
    if (!routes.has("stream_module")) {
      return NginxConfig.DEFAULT_STREAM_MODULE;
    }
    return routes.path("stream_module");
  }
}
