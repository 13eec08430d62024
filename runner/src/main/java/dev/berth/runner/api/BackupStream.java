package dev.berth.runner.api;

import com.google.protobuf.ByteString;
import dev.berth.proto.v1.AgentProto;
import dev.berth.runner.BerthVersion;
import dev.berth.store.registry.BackupManifest;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryException;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Backup} call: the registry's backup is written to a file of the data directory, then
 * read out to the client only as fast as it takes it (gRPC's flow control), so that a slow client
 * holds one file open, not the backup in memory.
 *
 * <p>The file is unlinked as soon as it is open: whatever ends the call (done, cancelled, the agent
 * killed), nothing is left behind in the data directory.
 */
final class BackupStream {

  /** Well under gRPC's 4 MiB message limit, large enough that a backup is a few dozen messages. */
  static final int CHUNK_BYTES = 256 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(BackupStream.class);

  private final ServerCallStreamObserver<AgentProto.BackupChunk> out;
  private FileChannel file;
  private boolean done;

  private BackupStream(ServerCallStreamObserver<AgentProto.BackupChunk> out) {
    this.out = out;
  }

  /**
   * Takes the backup and starts sending it. The handlers are set before anything else, as gRPC
   * wants; they run on the call's own serialized executor, never beside this method.
   */
  static void send(Registry registry, ServerCallStreamObserver<AgentProto.BackupChunk> out) {
    BackupStream stream = new BackupStream(out);
    out.setOnReadyHandler(stream::pump);
    out.setOnCancelHandler(stream::close);
    stream.start(registry);
  }

  private void start(Registry registry) {
    long started = System.nanoTime();
    Path path =
        registry.file().resolveSibling(Registry.WORKING_FILE_PREFIX + UUID.randomUUID() + ".zip");
    BackupManifest manifest;
    long size;
    try {
      manifest = registry.backup(path, BerthVersion.current());
      file = FileChannel.open(path, StandardOpenOption.READ);
      size = file.size();
    } catch (RegistryException | IOException e) {
      close();
      LOG.warn("a backup failed: {}", e.getMessage());
      fail(Status.INTERNAL.withDescription("the backup could not be made: " + e.getMessage()));
      return;
    } finally {
      deleteQuietly(path);
    }
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    LOG.atInfo()
        .addKeyValue("services", manifest.services())
        .addKeyValue("bytes", size)
        .addKeyValue("took_ms", tookMs)
        .log("backup taken");
    AgentProto.BackupInfo.Builder info =
        AgentProto.BackupInfo.newBuilder()
            .setSize(size)
            .setFormat(manifest.format())
            .setBerthVersion(manifest.berthVersion())
            .setSchemaVersion(manifest.schemaVersion())
            .setTakenAt(ServiceViews.timestamp(manifest.takenAt()))
            .setRegistryId(manifest.registryId())
            .setServices(manifest.services())
            .setTookMs(tookMs);
    if (manifest.newestChange() != null) {
      info.setNewestChange(ServiceViews.timestamp(manifest.newestChange()));
    }
    out.onNext(AgentProto.BackupChunk.newBuilder().setInfo(info).build());
    pump();
  }

  /** Sends chunks while the client takes them; the next ready signal resumes. */
  private void pump() {
    if (done || file == null) {
      return;
    }
    try {
      while (out.isReady()) {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES);
        int read = file.read(buffer);
        if (read < 0) {
          close();
          out.onCompleted();
          return;
        }
        buffer.flip();
        out.onNext(
            AgentProto.BackupChunk.newBuilder().setData(ByteString.copyFrom(buffer)).build());
      }
    } catch (IOException e) {
      close();
      fail(Status.INTERNAL.withDescription("reading the backup failed: " + e.getMessage()));
    }
  }

  private void fail(Status status) {
    out.onError(status.asRuntimeException());
  }

  private void close() {
    done = true;
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        // Only read from, and already unlinked: nothing to lose.
      }
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.warn("cannot remove the backup's temporary file {}: {}", path, e.toString());
    }
  }
}
