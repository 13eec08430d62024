package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth backup -o FILE}: a consistent copy of the agent's registry, taken while it serves.
 */
@Command(
    name = "backup",
    customSynopsis = "berth backup -o FILE|- [CONNECTION]",
    header = "Back up the agent's registry, while it serves.",
    description = {
      "Asks the agent for a consistent copy of its registry (what is declared, stable ports,"
          + " status, events; no secret's value) and writes it to FILE: every apply acknowledged"
          + " before the backup began is in it whole, none after it in part. The agent keeps"
          + " serving meanwhile.",
      "FILE appears whole or not at all (written beside it, synced, then renamed), readable by"
          + " its owner only; `-o -` writes the backup to stdout and what it holds to stderr.",
      "Restore it with `berth restore FILE` while the agent is stopped.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth backup -o /var/backups/berth-$(date +%%F).zip",
      "  berth backup -o - | ssh backup-host 'cat > berth.zip'"
    })
final class BackupCommand extends ClientCommand {

  /** Where {@code -o} writes to stdout. */
  static final String STDOUT = "-";

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE",
      description = "Where to write the backup; - for stdout.")
  String output;

  /** Refuses a FILE that cannot be written before the agent does any work. */
  @Override
  int prepare() {
    if (!toStdout()) {
      Path probe = createTemporary(target());
      try {
        Files.delete(probe);
      } catch (IOException e) {
        // Written again, and removed, by run().
      }
    }
    return ExitCodes.OK;
  }

  @Override
  int run(AgentConnection agent) throws IOException {
    Iterator<AgentProto.BackupChunk> chunks =
        agent.call().backup(AgentProto.BackupRequest.getDefaultInstance());
    if (toStdout()) {
      // The process's own stdout, unbuffered bytes: picocli's writer is for text.
      OutputStream stdout = new FileOutputStream(FileDescriptor.out);
      AgentProto.BackupInfo info = receive(chunks, stdout);
      stdout.flush();
      describe(info, "backup written to stdout", err());
      return ExitCodes.OK;
    }
    Path target = target();
    Path temporary = createTemporary(target);
    // Removed by Ctrl-C or a kill too: never a half-written file beside FILE.
    temporary.toFile().deleteOnExit();
    try {
      AgentProto.BackupInfo info = write(chunks, temporary, target);
      describe(info, "backup written to " + output, out());
      return ExitCodes.OK;
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Writes the backup into {@code temporary}, synced, then renames it to {@code target}. */
  private static AgentProto.BackupInfo write(
      Iterator<AgentProto.BackupChunk> chunks, Path temporary, Path target) {
    try {
      AgentProto.BackupInfo info;
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(channel)) {
        info = receive(chunks, out);
        out.flush();
        channel.force(true);
      }
      Files.move(
          temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(target.getParent());
      return info;
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.FAILED,
          "cannot write the backup to "
              + target
              + ": "
              + BackupDescription.why(e)
              + "; nothing was written");
    }
  }

  /** Writes the chunks' bytes to {@code out}, checking that as many came as the agent announced. */
  private static AgentProto.BackupInfo receive(
      Iterator<AgentProto.BackupChunk> chunks, OutputStream out) throws IOException {
    if (!chunks.hasNext()) {
      throw new CliException(ExitCodes.FAILED, "the agent sent no backup");
    }
    AgentProto.BackupInfo info = chunks.next().getInfo();
    long received = 0;
    while (chunks.hasNext()) {
      AgentProto.BackupChunk chunk = chunks.next();
      chunk.getData().writeTo(out);
      received += chunk.getData().size();
    }
    if (received != info.getSize()) {
      throw new CliException(
          ExitCodes.FAILED,
          "the backup came incomplete: "
              + received
              + " of "
              + info.getSize()
              + " bytes; nothing was written");
    }
    return info;
  }

  private static void describe(AgentProto.BackupInfo info, String what, PrintWriter out) {
    out.println(what + " (" + info.getSize() + " bytes, made in " + info.getTookMs() + " ms)");
    out.println(
        BackupDescription.holds(
            info.getServices(),
            Formats.time(info.hasNewestChange() ? info.getNewestChange() : null),
            info.getRegistryId(),
            info.getSchemaVersion(),
            Formats.time(info.getTakenAt()),
            info.getBerthVersion()));
    out.flush();
  }

  private boolean toStdout() {
    return STDOUT.equals(output);
  }

  private Path target() {
    return Path.of(output).toAbsolutePath();
  }

  /** A new, empty, owner-only file beside {@code target}, on the same file system. */
  private static Path createTemporary(Path target) {
    try {
      return Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.FAILED,
          "cannot write the backup to "
              + target
              + ": "
              + BackupDescription.why(e)
              + "; nothing was asked of the agent");
    }
  }

  private static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
