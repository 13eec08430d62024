package dev.berth.store.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** A JVM of a test's own on the test's class path, to be killed with SIGKILL. */
final class ChildJvm {

  private ChildJvm() {}

  /** Starts {@code main} with {@code args}; its stderr is discarded, its stdout is for the test. */
  static Process start(Class<?> main, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String[] command = new String[3 + 1 + args.length];
    command[0] = java;
    command[1] = "-cp";
    command[2] = classpath;
    command[3] = main.getName();
    System.arraycopy(args, 0, command, 4, args.length);
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** Reads {@code out} until a line starting with {@code prefix}, and returns that line. */
  static String awaitLine(BufferedReader out, String prefix, Process child) throws IOException {
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new IllegalStateException(
        "the child ended before printing " + prefix.trim() + " (exit " + child.exitValue() + ")");
  }

  static BufferedReader stdout(Process child) {
    return new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
  }
}
