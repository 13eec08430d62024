package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.berth.proto.v1.AgentProto;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class OutputFormatTest {

  private final OutputFormat.Converter converter = new OutputFormat.Converter();

  @Test
  void everyFormatIsReadByItsWord() {
    assertThat(converter.convert("json")).isEqualTo(OutputFormat.JSON);
    assertThat(converter.convert("yaml")).isEqualTo(OutputFormat.YAML);
    assertThat(converter.convert("wide")).isEqualTo(OutputFormat.WIDE);
    assertThat(converter.convert("name")).isEqualTo(OutputFormat.NAME);
  }

  @Test
  void anUnknownWordNamesTheFormatsThereAre() {
    assertThatThrownBy(() -> converter.convert("xml"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("unknown output format \"xml\": use one of json, yaml, wide, name");
  }

  @Test
  void theDefaultTableHasNoWord() {
    assertThatThrownBy(() -> converter.convert("table"))
        .isInstanceOf(TypeConversionException.class);
  }

  @Test
  void theWordsOfSomeFormatsReadAsAList() {
    assertThat(
            OutputFormat.words(EnumSet.of(OutputFormat.JSON, OutputFormat.YAML, OutputFormat.NAME)))
        .isEqualTo("json, yaml or name");
    assertThat(OutputFormat.words(EnumSet.of(OutputFormat.JSON))).isEqualTo("json");
  }

  @Test
  void yamlIsTheJsonDocumentInYaml() throws Exception {
    AgentProto.Service service =
        AgentProto.Service.newBuilder()
            .setSpec(AgentProto.ServiceSpec.newBuilder().setName("web").setComment("a: b # c"))
            .setGeneration(3)
            .addComponents(
                AgentProto.ComponentStatus.newBuilder().setComponent("app").setVersion("1.10"))
            .build();

    String yaml = Yaml.document(service);

    assertThat(yaml).startsWith("---\nspec:\n  name: web\n").doesNotEndWith("\n");
    assertThat(new YAMLMapper().readTree(yaml))
        .isEqualTo(new ObjectMapper().readTree(Json.document(service)));
  }

  @Test
  void yamlQuotesTheStringsAYamlReaderWouldTakeForSomethingElse() {
    for (String comment :
        new String[] {"yes", "no", "true", "null", "on", "~", "12", "1.5", "0x1F"}) {
      String yaml =
          Yaml.document(
              AgentProto.ServiceSpec.newBuilder().setName("web").setComment(comment).build());

      assertThat(yaml).as(comment).contains("comment: \"" + comment + "\"");
    }
  }
}
