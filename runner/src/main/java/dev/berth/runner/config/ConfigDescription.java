package dev.berth.runner.config;

import dev.berth.acme.AcmeConfig;
import dev.berth.reconcilers.cert.local.LocalCaConfig;
import dev.berth.reconcilers.route.nginx.NginxConfig;
import dev.berth.reconcilers.stage.BootStage;
import dev.berth.runtime.podman.PodmanConfig;
import dev.berth.runtime.qemu.QemuConfig;
import dev.berth.spec.model.DurationSyntax;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;

/**
 * Writes an {@link AgentConfig} as the TOML file that would load as it: every key, defaults and
 * derived paths spelt out. Disabled settings are written as the empty string that disables them.
 */
final class ConfigDescription {

  private final StringBuilder out = new StringBuilder();

  private ConfigDescription() {}

  static String of(AgentConfig config) {
    ConfigDescription d = new ConfigDescription();
    d.comment("effective configuration, from " + config.source());
    d.put("node", config.node());
    d.put("data_dir", config.dataDir());
    d.api(config.api());
    d.table("metrics");
    d.put("listen", text(config.metrics().listen()));
    d.runtimes(config.runtimes());
    d.table("ports");
    d.put("range", config.ports().toString());
    d.routes(config.routes());
    d.certificates(config.certificates());
    d.table("secrets");
    d.put("dir", config.secretsDir());
    for (BootStage stage : config.stages()) {
      d.stage(stage);
    }
    ReconcileConfig reconcile = config.reconcile();
    d.table("reconcile");
    d.put("workers", reconcile.workers());
    d.put("resync_period", reconcile.resyncPeriod());
    d.put("relist_period", reconcile.relistPeriod());
    d.table("registry");
    d.put("history_limit", config.registrySettings().historyLimit());
    return d.out.toString();
  }

  private void api(ApiConfig api) {
    table("api");
    put("socket", api.socket());
    put("tcp", text(api.tcp()));
    put("token_file", api.tokenFile());
    TlsConfig tls = api.tls();
    if (tls == null) {
      comment("[api.tls] is not set");
      return;
    }
    table("api.tls");
    put("cert_file", tls.certFile());
    put("key_file", tls.keyFile());
    put("client_ca_file", tls.clientCaFile());
    put(
        "allowed_subjects",
        tls.allowedSubjects().stream().map(p -> p.getName(X500Principal.RFC2253)).toList());
  }

  private void runtimes(RuntimesConfig runtimes) {
    table("runtimes");
    put("enabled", runtimes.enabled().stream().map(RuntimeName::wire).toList());
    if (runtimes.automatic()) {
      comment("automatic: process, and podman and qemu where their binaries are found");
    }
    table("runtimes.process");
    put("log_max_bytes", runtimes.process().logMaxBytes());
    put("log_keep", runtimes.process().logKeep());
    PodmanConfig podman = runtimes.podman();
    table("runtimes.podman");
    put("binary", podman.podmanBinary());
    put("containers_conf", podman.containersConf());
    put("command_timeout", podman.commandTimeout());
    put("pull_timeout", podman.pullTimeout());
    QemuConfig qemu = runtimes.qemu();
    table("runtimes.qemu");
    put("binary", qemu.binary());
    put("accel", qemu.accel());
    put("machine", qemu.machine());
    put("cpu", qemu.cpu() == null ? "" : qemu.cpu());
    put("nic_model", qemu.nicModel());
    put("memory_mb", qemu.memoryMb());
    put("vcpus", qemu.vcpus());
    put("log_max_bytes", qemu.logMaxBytes());
    put("log_keep", qemu.logKeep());
  }

  private void routes(RoutesConfig routes) {
    NginxConfig nginx = routes.nginx();
    table("routes");
    put("enabled", routes.enabled());
    put("nginx", nginx.binary());
    put("conf_dir", nginx.configDirectory());
    put("prefix", nginx.prefix());
    put("listen_address", nginx.listenAddress());
    put("stream_module", nginx.streamModule());
    put("start_nginx", nginx.startIfNotRunning());
    put("stop_nginx_on_exit", routes.stopNginxOnExit());
    put("command_timeout", nginx.commandTimeout());
    put("reload_timeout", nginx.reloadTimeout());
    put("stop_timeout", nginx.stopTimeout());
    put("default_domain", routes.defaultDomain());
  }

  private void certificates(CertificatesConfig certificates) {
    table("certificates");
    put("dir", certificates.dir());
    put("renew_before", certificates.renewBefore());
    put("remove_unused", certificates.removeUnused());
    put("internal_suffixes", certificates.internalSuffixes());
    AcmeSetup setup = certificates.acme();
    if (setup == null) {
      comment("[certificates.acme] is not set: no ACME");
    } else {
      AcmeConfig acme = setup.config();
      AcmeConfig.ExternalAccountBinding eab = acme.externalAccountBinding();
      table("certificates.acme");
      put("directory", acme.directory().toString());
      put("email", acme.contactEmail());
      put("account_key", acme.accountKeyFile());
      put("trust_file", acme.extraTrust());
      put("eab_key_id", eab == null ? null : eab.keyIdentifier());
      put("eab_hmac_key_file", setup.eabHmacKeyFile());
      put("challenge_port", setup.challenge().port());
      put("challenge_dir", setup.challenge().directory());
      put("key_type", AcmeSection.keyTypeName(acme.keyType()));
      put("challenge_timeout", acme.challengeTimeout());
      put("order_timeout", acme.orderTimeout());
    }
    LocalCaConfig localCa = certificates.localCa();
    table("certificates.local_ca");
    put("enabled", localCa.enabled());
    put("dir", localCa.directory());
    put("validity", localCa.leafValidity());
  }

  private void stage(BootStage stage) {
    out.append("\n[[stages]]\n");
    put("name", stage.name());
    put("services", stage.services());
    put("timeout", stage.timeout());
    put("required", stage.required());
    put("probe", StagesSection.probeName(stage.probe()));
  }

  private void table(String name) {
    out.append('\n').append('[').append(name).append("]\n");
  }

  private void comment(String text) {
    out.append("# ").append(text).append('\n');
  }

  private void put(String key, Object value) {
    out.append(key).append(" = ").append(value(value)).append('\n');
  }

  private static String value(Object value) {
    if (value == null) {
      return "\"\"";
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof Duration duration) {
      return quote(DurationSyntax.format(duration));
    }
    if (value instanceof List<?> list) {
      return list.stream()
          .map(ConfigDescription::value)
          .collect(Collectors.joining(", ", "[", "]"));
    }
    if (value instanceof Path path) {
      return quote(path.toString());
    }
    return quote(value.toString());
  }

  private static String text(HostPort address) {
    return address == null ? "" : address.toString();
  }

  /** A TOML basic string: backslashes, quotes and control characters escaped. */
  private static String quote(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        quoted.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    return quoted.append('"').toString();
  }
}
