package dev.berth.runner.config;

import dev.berth.spec.validation.Rules;
import dev.berth.store.toml.Table;
import java.nio.file.Path;
import java.util.List;

/** Reads {@code [routes]}. */
final class RoutesSection {

  static final List<String> KEYS =
      List.of(
          "enabled",
          "nginx",
          "conf_dir",
          "prefix",
          "listen_address",
          "stream_module",
          "start_nginx",
          "stop_nginx_on_exit",
          "command_timeout",
          "reload_timeout",
          "stop_timeout",
          "default_domain");

  private RoutesSection() {}

  static RoutesConfig read(Table routes, Path dataDir) {
    routes.rejectUnknownKeys(KEYS);
    String nginx =
        RuntimesSection.program(
            routes,
            "nginx",
            routes.string("nginx", RoutesConfig.DEFAULT_NGINX),
            RoutesConfig.DEFAULT_NGINX);
    Path confDir = routes.path("conf_dir");
    Path prefix = routes.path("prefix");
    return new RoutesConfig(
        routes.bool("enabled", RoutesConfig.DEFAULT_ENABLED),
        nginx,
        confDir != null ? confDir : dataDir.resolve(RoutesConfig.DEFAULT_CONF_DIR),
        prefix != null ? prefix : dataDir.resolve(RoutesConfig.DEFAULT_PREFIX),
        listenAddress(routes),
        streamModule(routes),
        routes.bool("start_nginx", RoutesConfig.DEFAULT_START_NGINX),
        routes.bool("stop_nginx_on_exit", RoutesConfig.DEFAULT_STOP_NGINX_ON_EXIT),
        routes.duration("command_timeout", RoutesConfig.DEFAULT_COMMAND_TIMEOUT),
        routes.duration("reload_timeout", RoutesConfig.DEFAULT_RELOAD_TIMEOUT),
        routes.duration("stop_timeout", RoutesConfig.DEFAULT_STOP_TIMEOUT),
        defaultDomain(routes));
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
      return RoutesConfig.DEFAULT_LISTEN_ADDRESS;
    }
    if (!HostPort.ipLiteral(text)) {
      routes.report(
          "listen_address",
          "must be an IPv4 or IPv6 address (such as 0.0.0.0, 192.0.2.10 or ::), was "
              + Rules.quote(text));
      return RoutesConfig.DEFAULT_LISTEN_ADDRESS;
    }
    return text;
  }

  /** Absent: the default path; {@code ""}: none (built into nginx). */
  private static Path streamModule(Table routes) {
    if (!routes.has("stream_module")) {
      return RoutesConfig.DEFAULT_STREAM_MODULE;
    }
    return routes.path("stream_module");
  }
}
