/**
 * The {@code berth} command line: one picocli command class per subcommand ({@link
 * dev.berth.runner.cli.BerthCli} lists them), the connection to the agent ({@link
 * dev.berth.runner.cli.AgentConnection}, configured by {@link dev.berth.runner.cli.ClientOptions}),
 * and the shared output: {@link dev.berth.runner.cli.AlignedColumns} for aligned text, JSON in
 * protobuf's mapping, and {@link dev.berth.runner.cli.ExitCodes}, the one mapping from failures to
 * exit codes.
 *
 * <p><b>Internal</b>: the runner is an application; not part of Berth's API, it may change in any
 * release.
 */
package dev.berth.runner.cli;
