package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.AgentProto;
import org.junit.jupiter.api.Test;

class JsonTest {

  private static AgentProto.ServiceSpec spec(String comment) {
    return AgentProto.ServiceSpec.newBuilder().setName("web").setComment(comment).build();
  }

  private static AgentProto.ServiceSpec parse(String json) throws Exception {
    AgentProto.ServiceSpec.Builder parsed = AgentProto.ServiceSpec.newBuilder();
    JsonFormat.parser().merge(json, parsed);
    return parsed.build();
  }

  @Test
  void htmlCharactersArePrintedAsThemselvesAndReadBackTheSame() throws Exception {
    AgentProto.ServiceSpec spec = spec("a=b <c> & 'd'");

    String json = Json.line(spec);

    assertThat(json).isEqualTo("{\"name\":\"web\",\"comment\":\"a=b <c> & 'd'\"}");
    assertThat(parse(json)).isEqualTo(spec);
    assertThat(parse(Json.document(spec))).isEqualTo(spec);
  }

  @Test
  void theTextOfAnEscapeInAValueStaysThatText() throws Exception {
    AgentProto.ServiceSpec spec = spec("\\u003d is =");

    String json = Json.line(spec);

    assertThat(json).contains("\"\\\\u003d is =\"");
    assertThat(parse(json)).isEqualTo(spec);
  }

  @Test
  void quotesBackslashesAndControlCharactersStayEscaped() throws Exception {
    AgentProto.ServiceSpec spec = spec("\"q\" \\ \n\t\u0001");

    String json = Json.line(spec);

    assertThat(json).contains("\\\"q\\\" \\\\ \\n\\t\\u0001");
    assertThat(parse(json)).isEqualTo(spec);
  }

  @Test
  void nonAsciiTextIsPlainUtf8() {
    assertThat(Json.line(spec("café ✓"))).contains("\"café ✓\"");
  }
}
