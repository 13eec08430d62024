package dev.berth.runner.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every key of the agent's configuration file, once: its path, its type, its default and its rule,
 * as docs/configuration.md's reference tables show them. The readers take the keys they know from
 * here, and tests check the document's rows and the defaults {@code --print-config} writes against
 * it, so that the file, its reader and its documentation cannot drift apart.
 */
final class ConfigKeys {

  /**
   * One key.
   *
   * @param path its key path; {@code stages[].name} for a key of every {@code [[stages]]} table
   * @param type how its value is written: string, path, address, integer, boolean, duration or
   *     array of strings
   * @param defaultValue its default, as the document writes it: the value in backticks (the last
   *     one is what the agent uses), or words where there is no literal (required, the host name)
   * @param rule what a value must be, and what it does
   */
  record Key(String path, String type, String defaultValue, String rule) {

    /** Its row in the document's reference tables. */
    String row() {
      return "| `" + path + "` | " + type + " | " + defaultValue + " | " + rule + " |";
    }
  }

  static final List<Key> ALL =
      List.of(
          key(
              "node",
              "string",
              "the host name",
              "a lowercase DNS name; reported in the node's status"),
          key("data_dir", "path", "`./berth-data`", "not empty; a directory (created if missing)"),
          key(
              "api.socket",
              "path",
              "`./berth.sock`",
              "`\"\"` disables it; at most 107 bytes once resolved (the limit of unix socket paths)"),
          key(
              "api.tcp",
              "address",
              "`\"\"` (off)",
              "needs `[api.tls]`, unless the agent is started with `--insecure-listen`"),
          key(
              "api.token_file",
              "path",
              "`\"\"` (none)",
              "a readable file holding the token; not empty"),
          key(
              "api.tls.cert_file",
              "path",
              "required in `[api.tls]`",
              "the agent's certificate chain, PEM"),
          key(
              "api.tls.key_file",
              "path",
              "required in `[api.tls]`",
              "its private key, PEM, unencrypted PKCS#8 (`-----BEGIN PRIVATE KEY-----`)"),
          key(
              "api.tls.client_ca_file",
              "path",
              "required in `[api.tls]`",
              "the CA certificates (PEM) client certificates must chain to"),
          key(
              "api.tls.allowed_subjects",
              "array of strings",
              "required in `[api.tls]`",
              "at least one X.500 name, RFC 2253 form (`\"CN=ops,O=example\"`)"),
          key(
              "metrics.listen",
              "address",
              "`127.0.0.1:9464`",
              "a loopback address (127.0.0.0/8, `::1`, `localhost`); `\"\"` disables"),
          key(
              "runtimes.enabled",
              "array of strings",
              "`[]` (automatic)",
              "each one of `process`, `podman`, `qemu`, once"),
          key(
              "runtimes.process.log_max_bytes",
              "integer",
              "`10485760` (10 MiB)",
              "4096..2^40; a process's output log rotates when it reaches this size, never grows past it"),
          key("runtimes.process.log_keep", "integer", "`3`", "0..100 rotated logs kept"),
          key("runtimes.podman.binary", "string", "`podman`", "a name on the PATH or a path"),
          key(
              "runtimes.podman.containers_conf",
              "path",
              "`\"\"` (podman's own lookup)",
              "a readable file, given to podman as `CONTAINERS_CONF`"),
          key(
              "runtimes.podman.command_timeout",
              "duration",
              "`60s`",
              "how long one podman command (run, ps, stop...) may take"),
          key(
              "runtimes.podman.pull_timeout",
              "duration",
              "`15m`",
              "how long pulling an image may take"),
          key(
              "runtimes.qemu.binary",
              "string",
              "`qemu-system-x86_64`",
              "a name on the PATH or a path"),
          key(
              "runtimes.qemu.accel",
              "string",
              "`tcg`",
              "QEMU's `-accel`: `tcg` works everywhere, `kvm` is fast where it works"),
          key("runtimes.qemu.machine", "string", "`q35`", "QEMU's `-machine`"),
          key(
              "runtimes.qemu.cpu",
              "string",
              "`\"\"` (QEMU's default)",
              "QEMU's `-cpu`; `host` with KVM"),
          key(
              "runtimes.qemu.nic_model",
              "string",
              "`virtio-net-pci`",
              "the network card guests see"),
          key(
              "runtimes.qemu.memory_mb",
              "integer",
              "`256`",
              "1..1048576; for VMs whose spec gives no memory"),
          key("runtimes.qemu.vcpus", "integer", "`1`", "1..256; for VMs whose spec gives none"),
          key(
              "runtimes.qemu.log_max_bytes",
              "integer",
              "`10485760`",
              "4096..2^40; a VM's console log rotates past this"),
          key("runtimes.qemu.log_keep", "integer", "`3`", "0..100"),
          key(
              "ports.range",
              "string",
              "`\"10000-60000\"`",
              "`LOW-HIGH` with 1024 <= LOW < HIGH <= 65535"),
          key("routes.enabled", "boolean", "`false`", "`true` serves routes through nginx"),
          key(
              "routes.nginx",
              "string",
              "`nginx`",
              "a name on the PATH or a path; must be installed when routes are enabled"),
          key("routes.conf_dir", "path", "`<data_dir>/nginx`", "where Berth writes `nginx.conf`"),
          key(
              "routes.prefix",
              "path",
              "`<data_dir>/nginx/run`",
              "nginx's `-p`: pid file, logs, temporary files, sockets"),
          key(
              "routes.listen_address",
              "string",
              "`\"\"` = `0.0.0.0`",
              "an IPv4 or IPv6 address every route listener binds to"),
          key(
              "routes.stream_module",
              "path",
              "`/usr/lib/nginx/modules/ngx_stream_module.so`",
              "loaded when the file exists; `\"\"` when nginx has the stream module built in"),
          key("routes.start_nginx", "boolean", "`true`", "start nginx when it is not running"),
          key("routes.stop_nginx_on_exit", "boolean", "`false`", "stop nginx when the agent stops"),
          key(
              "routes.command_timeout",
              "duration",
              "`30s`",
              "one nginx command (`-t`, reload, start)"),
          key("routes.reload_timeout", "duration", "`30s`", "a reload or start taking effect"),
          key(
              "routes.stop_timeout",
              "duration",
              "`10s`",
              "a graceful quit, before nginx is killed"),
          key(
              "routes.default_domain",
              "string",
              "`\"\"` = none",
              "a lowercase DNS name: an `l7` route declared without a hostname is served at `<service>.<default_domain>` (its certificate is for that name). Without it, apply refuses such a route naming this setting. The name is fixed when the service is applied: after a change here, apply the service again"),
          key(
              "certificates.dir",
              "path",
              "`<data_dir>/certificates`",
              "`<dir>/<hostname>/fullchain.pem` and `privkey.pem`"),
          key("certificates.renew_before", "duration", "`30d`", "renew this long before expiry"),
          key(
              "certificates.remove_unused",
              "boolean",
              "`false`",
              "delete a certificate no route uses any more"),
          key(
              "certificates.internal_suffixes",
              "array of strings",
              "`[\".internal\", \".local\", \".lan\", \".test\", \".localhost\", \".home.arpa\"]`",
              "each a domain suffix starting with a dot"),
          key(
              "certificates.acme.directory",
              "string",
              "`\"\"` (no ACME)",
              "the CA's directory URL: `https://`, `http://` or `acme://`"),
          key(
              "certificates.acme.email",
              "string",
              "`\"\"`",
              "an email address for the CA's expiry mail"),
          key(
              "certificates.acme.account_key",
              "path",
              "`<data_dir>/acme/account.pem`",
              "created (0600) when missing; readable when present"),
          key(
              "certificates.acme.trust_file",
              "path",
              "`\"\"`",
              "CA certificates (PEM) to trust for the ACME server's own TLS; needs an `https` directory"),
          key(
              "certificates.acme.eab_key_id",
              "string",
              "`\"\"`",
              "external account binding: set with `eab_hmac_key_file`"),
          key(
              "certificates.acme.eab_hmac_key_file",
              "path",
              "`\"\"`",
              "a file holding the base64url HMAC key, nothing else; set with `eab_key_id`"),
          key(
              "certificates.acme.challenge_port",
              "integer",
              "`80`",
              "1..65535; where http-01 validators connect"),
          key(
              "certificates.acme.challenge_dir",
              "path",
              "`<data_dir>/acme-challenges`",
              "where the challenge answers are written"),
          key(
              "certificates.acme.key_type",
              "string",
              "`ec-p256`",
              "one of `ec-p256`, `ec-p384`, `rsa-2048`, `rsa-4096`"),
          key("certificates.acme.challenge_timeout", "duration", "`2m`", "one name's validation"),
          key("certificates.acme.order_timeout", "duration", "`5m`", "a whole issuance"),
          key(
              "certificates.local_ca.enabled",
              "boolean",
              "`true`",
              "issue certificates for internal names"),
          key(
              "certificates.local_ca.dir",
              "path",
              "`<data_dir>/local-ca`",
              "the CA's key and certificate"),
          key(
              "certificates.local_ca.validity",
              "duration",
              "`90d`",
              "how long its certificates are valid; longer than `renew_before`"),
          key(
              "secrets.dir",
              "path",
              "`<data_dir>/secrets`",
              "the files components name in `[[components.secrets]]`; created with mode 0700 if missing"),
          key("stages[].name", "string", "required", "a lowercase DNS label, unique among stages"),
          key(
              "stages[].services",
              "array of strings",
              "required",
              "at least one service name; a service is in at most one stage"),
          key(
              "stages[].timeout",
              "duration",
              "`5m`",
              "how long the stage may take once its turn comes"),
          key(
              "stages[].required",
              "boolean",
              "`true`",
              "whether later stages wait however long it takes"),
          key("stages[].probe", "string", "`tcp`", "`none`, `tcp`, `http` or `grpc`"),
          key("reconcile.workers", "integer", "`4`", "1..64 service reconciles at once"),
          key(
              "reconcile.resync_period",
              "duration",
              "`10m`",
              "every service is reconciled at least this often"),
          key(
              "reconcile.relist_period",
              "duration",
              "`30s`",
              "the runtimes are listed in full at least this often"),
          key(
              "registry.history_limit",
              "integer",
              "`10`",
              "1..1000 declared specs kept per service, for `berth history` and `berth rollback`"));

  private ConfigKeys() {}

  /**
   * The keys of the table at {@code table} (empty for the root, {@code stages} for each stage), its
   * sub-tables included, in the document's order: what its reader knows.
   */
  static List<String> in(String table) {
    String prefix = table.isEmpty() ? "" : table + ".";
    Set<String> names = new LinkedHashSet<>();
    for (Key key : ALL) {
      String path = key.path().replace("[]", "");
      if (path.startsWith(prefix)) {
        names.add(path.substring(prefix.length()).split("\\.")[0]);
      }
    }
    return List.copyOf(names);
  }

  private static Key key(String path, String type, String defaultValue, String rule) {
    return new Key(path, type, defaultValue, rule);
  }
}
