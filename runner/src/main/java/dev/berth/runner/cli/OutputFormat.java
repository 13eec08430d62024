package dev.berth.runner.cli;

import com.google.protobuf.MessageOrBuilder;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * What {@code -o FORMAT} asks a command to print, as kubectl's {@code -o}: the table for people
 * ({@link #TABLE}, without {@code -o}), the table with more columns ({@link #WIDE}), one identifier
 * per line ({@link #NAME}), or the agent's answer as a document ({@link #JSON}, {@link #YAML}).
 */
enum OutputFormat {
  TABLE(null),
  JSON("json"),
  YAML("yaml"),
  WIDE("wide"),
  NAME("name");

  /** What {@code -o} takes: every format but the default. */
  static final String VALUES = "json, yaml, wide, name";

  private final String word;

  OutputFormat(String word) {
    this.word = word;
  }

  /** The word {@code -o} takes, or null for the default table. */
  String word() {
    return word;
  }

  /** Whether it prints the agent's answer as a document rather than lines made for people. */
  boolean isDocument() {
    return this == JSON || this == YAML;
  }

  /** {@code message} as this format's document: YAML for {@link #YAML}, else JSON. */
  String document(MessageOrBuilder message) {
    return this == YAML ? Yaml.document(message) : Json.document(message);
  }

  /** {@code json, yaml or name}: the words of {@code formats}, for messages. */
  static String words(Set<OutputFormat> formats) {
    String[] words =
        Arrays.stream(values())
            .filter(formats::contains)
            .map(OutputFormat::word)
            .filter(w -> w != null)
            .toArray(String[]::new);
    if (words.length == 1) {
      return words[0];
    }
    return Arrays.stream(words, 0, words.length - 1).collect(Collectors.joining(", "))
        + " or "
        + words[words.length - 1];
  }

  /** The converter of {@code -o}: an unknown word names the ones there are. */
  static final class Converter implements ITypeConverter<OutputFormat> {
    @Override
    public OutputFormat convert(String value) {
      String word = value.toLowerCase(Locale.ROOT);
      for (OutputFormat format : values()) {
        if (word.equals(format.word)) {
          return format;
        }
      }
      throw new TypeConversionException(
          "unknown output format \"" + value + "\": use one of " + VALUES);
    }
  }
}
