package dev.berth.spec.model;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads the wire spelling of Berth's enums: exact and lowercase, never by ordinal. */
public final class Wire {

  private Wire() {}

  /**
   * The constant of {@code type} whose wire spelling ({@code wire}) is exactly {@code text}, or
   * empty.
   */
  public static <E extends Enum<E>> Optional<E> parse(
      Class<E> type, Function<E, String> wire, String text) {
    for (E value : type.getEnumConstants()) {
      if (wire.apply(value).equals(text)) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  /** {@code "running" | "stopped"}, for error messages. */
  public static <E extends Enum<E>> String choices(Class<E> type, Function<E, String> wire) {
    return Arrays.stream(type.getEnumConstants())
        .map(value -> "\"" + wire.apply(value) + "\"")
        .collect(Collectors.joining(" | "));
  }
}
