package dev.berth.runner.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.status.ActionFailure;
import dev.berth.spec.status.CertificateReason;
import dev.berth.spec.status.ComponentPhase;
import dev.berth.spec.status.ComponentState;
import dev.berth.spec.status.ConditionTypes;
import dev.berth.spec.status.ServiceConvergence;
import dev.berth.spec.status.UpdateFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * agent.proto states the exact words of status, and they are the words of the status vocabulary in
 * spec: no word the agent sends is missing from the API's comments, and none listed there is one it
 * never sends.
 */
class StatusWordsTest {

  static final Path PROTO = Path.of("..", "proto", "src", "main", "protobuf", "berth", "v1");

  static final Pattern QUOTED = Pattern.compile("\"([A-Za-z]+)\"");

  @Test
  void theWordsOfComponentStatusStateAreTheComponentStates() throws Exception {
    Set<String> sent = new LinkedHashSet<>();
    Stream.of(ComponentPhase.values()).map(ComponentState::wire).forEach(sent::add);
    Stream.of(ActionFailure.values()).map(ComponentState::wire).forEach(sent::add);

    assertThat(wordsBefore("message ComponentStatus {", "string state = 3;"))
        .containsExactlyInAnyOrderElementsOf(sent);
  }

  @Test
  void theWordsOfConditionTypeAreTheConditionTypesAndTheirReasons() throws Exception {
    Set<String> sent = new LinkedHashSet<>();
    sent.add(ConditionTypes.READY);
    Stream.of(ComponentPhase.values()).map(ComponentState::readyReason).forEach(sent::add);
    // A runtime failure's Ready reason is its state's word, listed with ComponentStatus.state.
    sent.add(ConditionTypes.PROBE_FAILING);
    sent.add(ConditionTypes.CERTIFICATE_READY);
    Stream.of(CertificateReason.values()).map(CertificateReason::wire).forEach(sent::add);
    sent.add(ConditionTypes.PROGRESSING);
    Stream.of(UpdateFailure.values()).map(UpdateFailure::wire).forEach(sent::add);
    sent.add(ServiceConvergence.TYPE);
    Stream.of(ServiceConvergence.values()).map(ServiceConvergence::reason).forEach(sent::add);
    sent.add("Unknown");
    sent.add(ConditionTypes.NOT_OBSERVED);

    assertThat(wordsBefore("message Condition {", "string type = 2;"))
        .containsExactlyInAnyOrderElementsOf(sent);
  }

  /** The quoted words of the comment lines just above {@code field} in {@code message}. */
  static Set<String> wordsBefore(String message, String field) throws Exception {
    String proto = Files.readString(PROTO.resolve("agent.proto"));
    int start = proto.indexOf(message);
    int end = proto.indexOf(field, start);
    assertThat(start).as(message).isNotNegative();
    assertThat(end).as(field).isPositive();
    String[] lines = proto.substring(start, proto.lastIndexOf('\n', end)).split("\n");
    StringBuilder comment = new StringBuilder();
    for (int i = lines.length - 1; i >= 0 && lines[i].strip().startsWith("//"); i--) {
      comment.insert(0, lines[i] + "\n");
    }
    Set<String> words = new LinkedHashSet<>();
    Matcher quoted = QUOTED.matcher(comment);
    while (quoted.find()) {
      words.add(quoted.group(1));
    }
    return words;
  }
}
