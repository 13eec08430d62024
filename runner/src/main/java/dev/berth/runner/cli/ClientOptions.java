package dev.berth.runner.cli;

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
      description = "The agent's unix socket. Default: $BERTH_SOCKET, else " + DEFAULT_SOCKET + ".")
  private Path socket;

  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      description =
          "Reach the agent over TCP instead of its socket; needs --cert and --key (mTLS), or"
              + " --insecure.")
  private String address;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      description = "With --address: this client's certificate chain (PEM).")
  private Path cert;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description = "With --address: this client's private key (PEM, PKCS#8).")
  private Path key;

  @Option(
      names = "--ca",
      paramLabel = "FILE",
      description =
          "With --address: the CA certificates (PEM) the agent's certificate must chain to."
              + " Default: the JVM's trusted CAs.")
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
          "Send the bearer token held in FILE with every call. Default: $BERTH_TOKEN_FILE, if set.")
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

  /**
   * The connection the options describe.
   *
   * @throws ParameterException for options that do not go together (exit 2)
   * @throws CliException when a file they name cannot be used, or the socket does not exist
   */
  public AgentConnection connect(CliEnvironment environment, CommandLine command) {
    checkCombination(command);
    CallCredentials credentials = credentials(environment);
    if (address == null) {
      Path path = socket;
      if (path == null) {
        String fromEnvironment = environment.variable(CliEnvironment.SOCKET_VARIABLE);
        path = Path.of(fromEnvironment == null ? DEFAULT_SOCKET : fromEnvironment);
      }
      return AgentConnection.unixSocket(path, credentials, callTimeout());
    }
    AgentAddress agent =
        AgentAddress.parse(address)
            .orElseThrow(
                () ->
                    usage(
                        command,
                        "--address must be HOST:PORT, such as 10.0.0.5:7443 or [::1]:7443, was \""
                            + address
                            + "\""));
    return AgentConnection.tcp(agent, insecure ? null : tls(), credentials, callTimeout());
  }

  private void checkCombination(CommandLine command) {
    if (address == null) {
      if (cert != null || key != null || ca != null || insecure) {
        throw usage(command, "--cert, --key, --ca and --insecure go with --address");
      }
      return;
    }
    if (socket != null) {
      throw usage(
          command, "--socket and --address exclude each other: the agent is reached one way");
    }
    if (insecure && (cert != null || key != null || ca != null)) {
      throw usage(command, "--insecure means no TLS: it excludes --cert, --key and --ca");
    }
    if (!insecure && (cert == null || key == null)) {
      throw usage(
          command, "--address needs --cert and --key (mutual TLS), or --insecure for plain TCP");
    }
  }

  private CallCredentials credentials(CliEnvironment environment) {
    Path file = tokenFile;
    if (file == null) {
      String fromEnvironment = environment.variable(CliEnvironment.TOKEN_FILE_VARIABLE);
      file = fromEnvironment == null ? null : Path.of(fromEnvironment);
    }
    return file == null ? null : BearerToken.fromFile(file);
  }

  private SslContext tls() {
    requireReadable(cert, "--cert");
    requireReadable(key, "--key");
    if (ca != null) {
      requireReadable(ca, "--ca");
    }
    try {
      SslContextBuilder builder =
          GrpcSslContexts.forClient().keyManager(cert.toFile(), key.toFile());
      if (ca != null) {
        builder.trustManager(ca.toFile());
      }
      return builder.build();
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException(
          ExitCodes.FAILED,
          "cannot use the TLS files (--cert "
              + cert
              + ", --key "
              + key
              + (ca == null ? "" : ", --ca " + ca)
              + "): "
              + rootMessage(e));
    }
  }

  private static void requireReadable(Path file, String option) {
    if (!Files.isRegularFile(file)) {
      throw new CliException(ExitCodes.FAILED, option + " " + file + ": no such file");
    }
    if (!Files.isReadable(file)) {
      throw new CliException(ExitCodes.FAILED, option + " " + file + ": not readable");
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
