package dev.berth.runner.config;

import dev.berth.spec.validation.Rules;
import dev.berth.store.toml.Table;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/** Reads {@code [api]} and {@code [api.tls]}. */
final class ApiSection {

  static final List<String> KEYS = ConfigKeys.in("api");
  static final List<String> TLS_KEYS = ConfigKeys.in("api.tls");

  private ApiSection() {}

  /**
   * @param insecureListen whether the agent was started with {@code --insecure-listen}, which
   *     allows {@code api.tcp} without {@code [api.tls]}
   */
  static ApiConfig read(Table api, boolean insecureListen) {
    api.rejectUnknownKeys(KEYS);
    String socketText = api.string("socket", ApiConfig.DEFAULT_SOCKET);
    String tcpText = api.string("tcp", "");
    Path socket = socketText.isEmpty() ? null : socket(api, socketText);
    HostPort tcp = tcpText.isEmpty() ? null : hostPort(api, "tcp", tcpText);
    Path tokenFile = api.path("token_file");
    if (tokenFile != null) {
      token(api, tokenFile);
    }
    TlsConfig tls = api.has("tls") ? tls(api.section("tls")) : null;
    if (socketText.isEmpty() && tcpText.isEmpty()) {
      api.report("socket", "is empty and api.tcp is not set: the agent would have no API");
    }
    if (!tcpText.isEmpty() && !api.has("tls") && !insecureListen) {
      api.report(
          "tls",
          "is required when api.tcp is set: TCP callers are authenticated with mutual TLS"
              + " (start the agent with --insecure-listen to serve plain TCP on a trusted network)");
    }
    return new ApiConfig(socket, tcp, tokenFile, tls);
  }

  private static Path socket(Table api, String text) {
    Path socket = api.resolve("socket", text);
    if (socket != null) {
      int bytes = socket.toString().getBytes(StandardCharsets.UTF_8).length;
      if (bytes > ApiConfig.MAX_SOCKET_PATH_BYTES) {
        api.report(
            "socket",
            "must be a path of at most "
                + ApiConfig.MAX_SOCKET_PATH_BYTES
                + " bytes (the limit of unix socket paths), was "
                + bytes
                + " bytes: "
                + Rules.quote(socket.toString()));
      }
    }
    return socket;
  }

  /** {@code text}, written at {@code key}, as a {@code host:port}; null after reporting. */
  static HostPort hostPort(Table table, String key, String text) {
    HostPort parsed = HostPort.parse(text);
    if (parsed == null) {
      table.report(
          key,
          "must be host:port with a port of 1..65535 (such as 127.0.0.1:7443 or [::1]:7443), was "
              + Rules.quote(text));
    }
    return parsed;
  }

  private static void token(Table api, Path file) {
    String text = FileChecks.readable(api, "token_file", file);
    if (text != null && text.strip().isEmpty()) {
      api.report(
          "token_file",
          "must name a file holding the token, was " + Rules.quote(file.toString()) + " (empty)");
    }
  }

  private static TlsConfig tls(Table tls) {
    tls.rejectUnknownKeys(TLS_KEYS);
    Path cert = requiredFile(tls, "cert_file");
    Path key = requiredFile(tls, "key_file");
    Path clientCa = requiredFile(tls, "client_ca_file");
    if (cert != null) {
      FileChecks.certificates(tls, "cert_file", cert);
    }
    if (key != null) {
      FileChecks.privateKey(tls, "key_file", key);
    }
    if (clientCa != null) {
      FileChecks.certificates(tls, "client_ca_file", clientCa);
    }
    List<X500Principal> subjects = new ArrayList<>();
    List<Table.Element> elements = tls.stringElements("allowed_subjects");
    if (!tls.has("allowed_subjects") || tls.isEmptyArray("allowed_subjects")) {
      tls.report(
          "allowed_subjects",
          "must list at least one client certificate subject (such as \"CN=ops,O=example\"):"
              + " any certificate the CA signed would be let in otherwise");
    }
    for (Table.Element element : elements) {
      X500Principal subject = subject(tls, element);
      if (subject != null) {
        subjects.add(subject);
      }
    }
    return new TlsConfig(
        cert == null ? Path.of("") : cert,
        key == null ? Path.of("") : key,
        clientCa == null ? Path.of("") : clientCa,
        subjects);
  }

  private static Path requiredFile(Table tls, String key) {
    if (!tls.has(key)) {
      tls.report(key, "is required in [api.tls]");
      return null;
    }
    String text = tls.string(key, null);
    if (text == null) {
      return null;
    }
    if (text.isEmpty()) {
      tls.report(key, "must not be empty");
      return null;
    }
    return tls.resolve(key, text);
  }

  private static X500Principal subject(Table tls, Table.Element element) {
    if (element.text().isBlank()) {
      tls.reportAt(element.path(), "must be an X.500 name such as \"CN=ops,O=example\", was \"\"");
      return null;
    }
    try {
      return new X500Principal(element.text());
    } catch (IllegalArgumentException e) {
      tls.reportAt(
          element.path(),
          "must be an X.500 name in RFC 2253 form such as \"CN=ops,O=example\", was "
              + Rules.quote(element.text()));
      return null;
    }
  }
}
