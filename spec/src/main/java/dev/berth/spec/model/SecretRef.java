package dev.berth.spec.model;

/**
 * An environment variable whose value is the content of a file in the agent's secrets directory.
 * The declaration names the file, never the value: the value is read on the node when the workload
 * is created, and is stored nowhere Berth keeps or shows specs.
 *
 * @param name the variable's name, such as {@code DB_PASSWORD}
 * @param file the file's name in the agent's secrets directory, such as {@code db-password}
 */
public record SecretRef(String name, String file) {}
