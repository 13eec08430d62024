package dev.berth.runtime.process;

import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import java.nio.file.Path;

/**
 * An agent that creates workloads one after the other until it is killed: a test kills it with
 * SIGKILL at a random moment, which lands anywhere in a create. Prints "ready" once its first
 * create is done: from then on each create takes milliseconds (the first loads classes), so a
 * random moment is as likely to land in any step of a create as its duration allows.
 *
 * <p>Arguments: the state root.
 */
final class CreatingAgent {

  private CreatingAgent() {}

  public static void main(String[] args) {
    ProcessRuntime runtime = new ProcessRuntime(ProcessRuntimeConfig.of(Path.of(args[0])));
    for (int i = 0; ; i++) {
      runtime.run(
          WorkloadSpec.builder("created-" + i, WorkloadKind.PROCESS)
              .executable("/bin/sleep")
              .args("600")
              .label("berth.service", "crashing")
              .build());
      if (i == 0) {
        System.out.println("ready");
        System.out.flush();
      }
    }
  }
}
