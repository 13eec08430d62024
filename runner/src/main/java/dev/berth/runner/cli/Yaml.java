package dev.berth.runner.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.MessageOrBuilder;

/**
 * The {@code -o yaml} output: the very document {@code -o json} prints (protobuf's JSON mapping,
 * the proto's field names), as YAML, as kubectl's {@code -o yaml} is its {@code -o json}.
 */
final class Yaml {

  private static final ObjectMapper JSON = new ObjectMapper();

  // Block style, no "---" of its own (document() adds it), strings quoted only where YAML needs.
  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .disable(YAMLGenerator.Feature.SPLIT_LINES)
              .build());

  private Yaml() {}

  /** {@code message} as one YAML document, starting with {@code ---}, without a final newline. */
  static String document(MessageOrBuilder message) {
    try {
      JsonNode tree = JSON.readTree(Json.document(message));
      return ("---\n" + YAML.writeValueAsString(tree)).stripTrailing();
    } catch (JsonProcessingException e) {
      // Json printed the document itself: it is JSON.
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }
}
