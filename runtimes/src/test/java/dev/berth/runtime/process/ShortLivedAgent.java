package dev.berth.runtime.process;

import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import java.nio.file.Path;

/**
 * An agent that runs one workload and dies at once, closing nothing: what a crash or a {@code kill
 * -9} of the agent leaves behind. Prints the workload's id.
 *
 * <p>Arguments: the state root, then a {@code /bin/sh} script.
 */
final class ShortLivedAgent {

  private ShortLivedAgent() {}

  public static void main(String[] args) {
    ProcessRuntime runtime = new ProcessRuntime(ProcessRuntimeConfig.of(Path.of(args[0])));
    Workload workload =
        runtime.run(
            WorkloadSpec.builder("outliving", WorkloadKind.PROCESS)
                .executable("/bin/sh")
                .args("-c", args[1])
                .build());
    System.out.println(workload.id());
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
