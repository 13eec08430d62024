package dev.berth.runner.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A stand-in for {@code runner/target/berth.jar}, which the tests run before it is built: one jar
 * holding the classes of this build's modules (the class path's directories, test classes left
 * out), whose manifest's {@code Class-Path} names the dependency jars through links in {@code lib/}
 * beside it. The JVM's class-data archives take jars only, never directories, so the launcher's
 * archives work on it as on the real jar.
 */
final class LauncherJar {

  private LauncherJar() {}

  /** Writes {@code directory/berth.jar} and {@code directory/lib/}; returns the jar. */
  static Path build(Path directory) throws IOException {
    Path lib = Files.createDirectories(directory.resolve("lib"));
    List<String> classPath = new ArrayList<>();
    List<Path> classDirectories = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path path = Path.of(entry).toAbsolutePath();
      if (Files.isDirectory(path)) {
        if (!path.endsWith("test-classes")) {
          classDirectories.add(path);
        }
      } else if (Files.isRegularFile(path) && entry.endsWith(".jar")) {
        String name = classPath.size() + "-" + path.getFileName();
        Files.createSymbolicLink(lib.resolve(name), path);
        classPath.add("lib/" + name);
      }
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, BerthCli.class.getName());
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
    Path jar = directory.resolve("berth.jar");
    Set<String> written = new HashSet<>();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      for (Path classes : classDirectories) {
        try (Stream<Path> files = Files.walk(classes)) {
          for (Path file : (Iterable<Path>) files::iterator) {
            String name = classes.relativize(file).toString().replace('\\', '/');
            // Directories too: Flyway lists its migrations' directory (db/migration).
            boolean folder = Files.isDirectory(file);
            if (name.isEmpty() || folder) {
              name = name.isEmpty() ? name : name + "/";
            }
            if (name.isEmpty() || name.equals("META-INF/MANIFEST.MF") || !written.add(name)) {
              continue;
            }
            out.putNextEntry(new JarEntry(name));
            if (!folder) {
              copy(file, out);
            }
            out.closeEntry();
          }
        }
      }
    }
    return jar;
  }

  private static void copy(Path file, OutputStream out) throws IOException {
    Files.copy(file, out);
  }
}
