package dev.berth.runtime.process;

import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import java.nio.file.Path;

/**
 * An agent that creates workloads one after the other until it is killed: a test kills it with
 * SIGKILL at a random moment, which lands anywhere in a create. Prints "ready" once its runtime is
 * open.
 *
 * <p>Arguments: the state root.
 */
final class CreatingAgent {

  private CreatingAgent() {}

  public static void main(String[] args) {
    ProcessRuntime runtime = new ProcessRuntime(ProcessRuntimeConfig.of(Path.of(args[0])));
    System.out.println("ready");
    System.out.flush();
    for (int i = 0; ; i++) {
      runtime.run(
          WorkloadSpec.builder("created-" + i, WorkloadKind.PROCESS)
              .executable("/bin/sleep")
              .args("600")
              .label("berth.service", "crashing")
              .build());
    }
  }
}
