package dev.berth.runner.cli;

import dev.berth.runner.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where the agent is and how to reach it, once flags, environment variables and the client
 * configuration's context are taken together. Each setting comes from the first of: its flag, its
 * variable, the context, the default (docs/cli.md, "Reaching the agent").
 *
 * @param socket the agent's unix socket, or null when it is reached over TCP
 * @param address the agent's TCP address, or null when it is reached over its socket
 * @param ca with {@code address}: the CA certificates, or null for the JVM's
 * @param cert with {@code address} and TLS: the client's certificate chain
 * @param key with {@code address} and TLS: the client's private key
 * @param insecure with {@code address}: plain TCP
 * @param tokenFile the bearer token's file, or null
 */
record ConnectionSettings(
    Path socket,
    AgentAddress address,
    Setting ca,
    Setting cert,
    Setting key,
    boolean insecure,
    Setting tokenFile) {

  static final String ADDRESS_VARIABLE = "BERTH_ADDRESS";
  static final String CA_VARIABLE = "BERTH_CA";
  static final String CERT_VARIABLE = "BERTH_CERT";
  static final String KEY_VARIABLE = "BERTH_KEY";

  /**
   * A file and where it was named, for messages: {@code --cert}, {@code BERTH_CERT}, {@code
   * ~/.config/berth/config.toml: contexts.rift.cert}.
   */
  record Setting(Path file, String origin) {

    static Setting of(Path file, String origin) {
      return file == null ? null : new Setting(file, origin);
    }

    static Setting first(Setting... settings) {
      for (Setting setting : settings) {
        if (setting != null) {
          return setting;
        }
      }
      return null;
    }
  }

  /**
   * The connection options as given on the command line; null for each one not given.
   *
   * @param context {@code --context}
   */
  record Flags(
      Path socket,
      String address,
      Path ca,
      Path cert,
      Path key,
      boolean insecure,
      Path tokenFile,
      String context) {

    boolean anyTls() {
      return ca != null || cert != null || key != null;
    }
  }

  /**
   * Resolves the settings.
   *
   * @param usage makes the exception for a combination that cannot work (a usage error)
   * @throws CliException for a client configuration or context that cannot be used (exit 1)
   */
  static ConnectionSettings resolve(
      Flags flags, CliEnvironment environment, Function<String, RuntimeException> usage) {
    if (flags.socket() != null && flags.address() != null) {
      throw usage.apply("--socket and --address exclude each other: the agent is reached one way");
    }
    if (flags.insecure() && flags.anyTls()) {
      throw usage.apply("--insecure means no TLS: it excludes --cert, --key and --ca");
    }
    ClientConfig.Context context = context(flags, environment);
    String origin = null;
    String addressText = null;
    Path socket = null;
    AgentAddress address = null;
    if (flags.socket() != null) {
      socket = flags.socket();
    } else if (flags.address() != null) {
      addressText = flags.address();
      origin = "--address";
    } else {
      String socketVariable = environment.variable(CliEnvironment.SOCKET_VARIABLE);
      String addressVariable = environment.variable(ADDRESS_VARIABLE);
      if (socketVariable != null && addressVariable != null) {
        throw usage.apply(
            CliEnvironment.SOCKET_VARIABLE
                + " and "
                + ADDRESS_VARIABLE
                + " are both set: the agent is reached one way; unset one, or give --socket or"
                + " --address");
      }
      if (addressVariable != null) {
        addressText = addressVariable;
        origin = ADDRESS_VARIABLE;
      } else if (socketVariable != null) {
        socket = Path.of(socketVariable);
      } else if (context != null) {
        socket = context.socket();
        address = context.address();
      } else {
        socket = Path.of(ClientOptions.DEFAULT_SOCKET);
      }
    }
    if (addressText != null) {
      String text = addressText;
      String named = origin;
      address =
          AgentAddress.parse(text)
              .orElseThrow(
                  () ->
                      usage.apply(
                          named
                              + " must be HOST:PORT, such as 10.0.0.5:7443 or [::1]:7443, was \""
                              + text
                              + "\""));
    }
    Setting tokenFile =
        Setting.first(
            Setting.of(flags.tokenFile(), "--token-file"),
            Setting.of(
                variablePath(environment, CliEnvironment.TOKEN_FILE_VARIABLE),
                CliEnvironment.TOKEN_FILE_VARIABLE),
            context == null ? null : Setting.of(context.tokenFile(), context.origin("token_file")));
    if (address == null) {
      if (flags.anyTls() || flags.insecure()) {
        throw usage.apply("--cert, --key, --ca and --insecure go with --address");
      }
      return new ConnectionSettings(socket, null, null, null, null, false, tokenFile);
    }
    if (flags.insecure()) {
      return new ConnectionSettings(null, address, null, null, null, true, tokenFile);
    }
    Setting ca =
        tls(
            flags.ca(),
            "--ca",
            environment,
            CA_VARIABLE,
            context,
            context == null ? null : context.ca(),
            "ca");
    Setting cert =
        tls(
            flags.cert(),
            "--cert",
            environment,
            CERT_VARIABLE,
            context,
            context == null ? null : context.cert(),
            "cert");
    Setting key =
        tls(
            flags.key(),
            "--key",
            environment,
            KEY_VARIABLE,
            context,
            context == null ? null : context.key(),
            "key");
    boolean fromFlagsOrVariables =
        flags.anyTls()
            || environment.variable(CA_VARIABLE) != null
            || environment.variable(CERT_VARIABLE) != null
            || environment.variable(KEY_VARIABLE) != null;
    if (context != null && context.insecure() && !fromFlagsOrVariables) {
      return new ConnectionSettings(null, address, null, null, null, true, tokenFile);
    }
    if (cert == null || key == null) {
      if ("--address".equals(origin)) {
        throw usage.apply(
            "--address needs --cert and --key (mutual TLS), or --insecure for plain TCP");
      }
      throw usage.apply(
          (origin != null ? origin : "the context's address")
              + " "
              + address
              + " needs a client certificate and key (--cert and --key, or "
              + CERT_VARIABLE
              + " and "
              + KEY_VARIABLE
              + "), or --insecure for plain TCP");
    }
    return new ConnectionSettings(null, address, ca, cert, key, false, tokenFile);
  }

  private static Setting tls(
      Path flag,
      String option,
      CliEnvironment environment,
      String variable,
      ClientConfig.Context context,
      Path fromContext,
      String contextKey) {
    return Setting.first(
        Setting.of(flag, option),
        Setting.of(variablePath(environment, variable), variable),
        context == null ? null : Setting.of(fromContext, context.origin(contextKey)));
  }

  /**
   * The context in use: {@code --context}, else the file's {@code current_context}, else none. The
   * file is read only when it exists, or when {@code --context} needs it.
   */
  static ClientConfig.Context context(Flags flags, CliEnvironment environment) {
    Path file = ClientConfig.location(environment);
    boolean named = environment.variable(ClientConfig.FILE_VARIABLE) != null;
    ClientConfig config;
    if (Files.exists(file) || named) {
      try {
        config = ClientConfig.load(file);
      } catch (ConfigException e) {
        throw new CliException(ExitCodes.FAILED, e.getMessage());
      }
    } else {
      config = ClientConfig.empty(file);
    }
    if (flags.context() != null) {
      return config.context(flags.context(), "--context");
    }
    if (config.currentContext() != null) {
      return config.context(config.currentContext(), file + ": current_context");
    }
    return null;
  }

  private static Path variablePath(CliEnvironment environment, String name) {
    String value = environment.variable(name);
    return value == null ? null : Path.of(value);
  }
}
