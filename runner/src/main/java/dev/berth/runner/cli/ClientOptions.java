package dev.berth.runner.cli;

import dev.berth.runner.cli.ConnectionSettings.Setting;
import io.grpc.CallCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How a command reaches the agent: the options every client command shares (a picocli argument
 * group, so that help shows them apart from the command's own), and the connection they describe.
 */
public final class ClientOptions {

  public static final String DEFAULT_SOCKET = "./berth.sock";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  @Option(
      names = "--socket",
      paramLabel = "PATH",
      description =
          "The agent's unix socket. Default: $BERTH_SOCKET, else the context's, else "
              + DEFAULT_SOCKET
              + ".")
  private Path socket;

  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      description =
          "Reach the agent over TCP instead of its socket; needs --cert and --key (mTLS), or"
              + " --insecure. Default: $BERTH_ADDRESS, else the context's.")
  private String address;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      description =
          "With --address: this client's certificate chain (PEM). Default: $BERTH_CERT, else the"
              + " context's.")
  private Path cert;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description =
          "With --address: this client's private key (PEM, PKCS#8). Default: $BERTH_KEY, else"
              + " the context's.")
  private Path key;

  @Option(
      names = "--ca",
      paramLabel = "FILE",
      description =
          "With --address: the CA certificates (PEM) the agent's certificate must chain to."
              + " Default: $BERTH_CA, else the context's, else the JVM's trusted CAs.")
  private Path ca;

  @Option(
      names = "--insecure",
      description =
          "With --address: plain TCP, no TLS (the agent must run with --insecure-listen).")
  private boolean insecure;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "Send the bearer token held in FILE with every call. Default: $BERTH_TOKEN_FILE, else"
              + " the context's, if set.")
  private Path tokenFile;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = Durations.Converter.class,
      description =
          "How long to wait for each answer, such as 500ms, 30s, 5m. Default: 30s."
              + " For apply --wait and rollback --wait: how long to wait for the services to"
              + " converge (default 5m).")
  private Duration timeout;

  /** {@code --timeout} if it was given. */
  public Duration timeoutGiven() {
    return timeout;
  }

  /** The deadline of each call. */
  public Duration callTimeout() {
    return timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  @Option(
      names = "--context",
      paramLabel = "NAME",
      description =
          "Reach the agent of this context of the client configuration (see berth config)."
              + " Default: its current_context, if set.")
  private String context;

  /**
   * These options, given after the command, over {@code before}, given before it ({@code berth
   * --socket S status}): each option given after wins.
   */
  ClientOptions over(ClientOptions before) {
    ClientOptions merged = new ClientOptions();
    merged.socket = socket != null ? socket : before.socket;
    merged.address = address != null ? address : before.address;
    merged.cert = cert != null ? cert : before.cert;
    merged.key = key != null ? key : before.key;
    merged.ca = ca != null ? ca : before.ca;
    merged.insecure = insecure || before.insecure;
    merged.tokenFile = tokenFile != null ? tokenFile : before.tokenFile;
    merged.timeout = timeout != null ? timeout : before.timeout;
    merged.context = context != null ? context : before.context;
    return merged;
  }

  /** Whether any option was given. */
  boolean given() {
    return socket != null
        || address != null
        || cert != null
        || key != null
        || ca != null
        || insecure
        || tokenFile != null
        || timeout != null
        || context != null;
  }

  /**
   * Where the options, the environment and the client configuration say the agent is.
   *
   * @throws ParameterException for options that do not go together (exit 2)
   * @throws CliException for a client configuration or context that cannot be used
   */
  ConnectionSettings settings(CliEnvironment environment, CommandLine command) {
    return ConnectionSettings.resolve(
        new ConnectionSettings.Flags(socket, address, ca, cert, key, insecure, tokenFile, context),
        environment,
        message -> usage(command, message));
  }

  /**
   * The connection the options describe.
   *
   * @throws ParameterException for options that do not go together (exit 2)
   * @throws CliException when a file they name cannot be used, or the socket does not exist
   */
  public AgentConnection connect(CliEnvironment environment, CommandLine command) {
    ConnectionSettings settings = settings(environment, command);
    CallCredentials credentials =
        settings.tokenFile() == null ? null : BearerToken.fromFile(settings.tokenFile().file());
    if (settings.socket() != null) {
      return AgentConnection.unixSocket(settings.socket(), credentials, callTimeout());
    }
    return AgentConnection.tcp(
        settings.address(), settings.insecure() ? null : tls(settings), credentials, callTimeout());
  }

  private static SslContext tls(ConnectionSettings settings) {
    Setting cert = settings.cert();
    Setting key = settings.key();
    Setting ca = settings.ca();
    requireReadable(cert);
    requireReadable(key);
    if (ca != null) {
      requireReadable(ca);
    }
    try {
      SslContextBuilder builder =
          GrpcSslContexts.forClient().keyManager(cert.file().toFile(), key.file().toFile());
      if (ca != null) {
        builder.trustManager(ca.file().toFile());
      }
      return builder.build();
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException(
          ExitCodes.FAILED,
          "cannot use the TLS files ("
              + cert.origin()
              + " "
              + cert.file()
              + ", "
              + key.origin()
              + " "
              + key.file()
              + (ca == null ? "" : ", " + ca.origin() + " " + ca.file())
              + "): "
              + rootMessage(e));
    }
  }

  private static void requireReadable(Setting setting) {
    Path file = setting.file();
    if (!Files.isRegularFile(file)) {
      throw new CliException(ExitCodes.FAILED, setting.origin() + " " + file + ": no such file");
    }
    if (!Files.isReadable(file)) {
      throw new CliException(ExitCodes.FAILED, setting.origin() + " " + file + ": not readable");
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private static ParameterException usage(CommandLine command, String message) {
    return new ParameterException(command, message);
  }
}
