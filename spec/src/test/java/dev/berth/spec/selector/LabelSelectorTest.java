package dev.berth.spec.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {

  static final Map<String, String> WEB = Map.of("tier", "web", "env", "staging");

  static boolean selects(String selector, Map<String, String> labels) {
    return LabelSelector.parse(selector).matches(labels);
  }

  @Test
  void equalsSelectsTheLabelWithThatValueOnly() {
    assertThat(selects("tier=web", WEB)).isTrue();
    assertThat(selects("tier==web", WEB)).isTrue();
    assertThat(selects("tier=db", WEB)).isFalse();
    assertThat(selects("team=web", WEB)).isFalse();
  }

  @Test
  void notEqualsSelectsAnotherValueAndAnAbsentLabelAsKubernetesDoes() {
    assertThat(selects("tier!=db", WEB)).isTrue();
    assertThat(selects("team!=ops", WEB)).isTrue();
    assertThat(selects("tier!=web", WEB)).isFalse();
  }

  @Test
  void aKeyAloneSelectsByPresenceAndABangByAbsence() {
    assertThat(selects("tier", WEB)).isTrue();
    assertThat(selects("team", WEB)).isFalse();
    assertThat(selects("!team", WEB)).isTrue();
    assertThat(selects("!tier", WEB)).isFalse();
  }

  @Test
  void setsSelectByMembershipAndNotinAlsoSelectsAnAbsentLabel() {
    assertThat(selects("env in (prod, staging)", WEB)).isTrue();
    assertThat(selects("env in (prod)", WEB)).isFalse();
    assertThat(selects("env notin (prod,dev)", WEB)).isTrue();
    assertThat(selects("team notin (ops)", WEB)).isTrue();
    assertThat(selects("env notin (staging)", WEB)).isFalse();
  }

  @Test
  void everyRequirementMustHold() {
    assertThat(selects("tier=web,env=staging", WEB)).isTrue();
    assertThat(selects("tier=web, env in (prod,dev)", WEB)).isFalse();
  }

  @Test
  void blankSelectsEverything() {
    assertThat(LabelSelector.parse("").selectsEverything()).isTrue();
    assertThat(LabelSelector.parse("  ").matches(Map.of())).isTrue();
    assertThat(LabelSelector.parse(null).matches(WEB)).isTrue();
  }

  @Test
  void prefixedKeysAsKubernetesWritesThem() {
    assertThat(selects("team.example.com/owner=ops", Map.of("team.example.com/owner", "ops")))
        .isTrue();
  }

  @Test
  void writesItselfBackInItsCanonicalForm() {
    assertThat(LabelSelector.parse(" tier == web ,!old, env in ( a , b )").toString())
        .isEqualTo("tier=web,!old,env in (a,b)");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a==        | \"a==\": a value must follow \"==\"",
        "a=         | \"a=\": a value must follow \"=\"",
        "a!=        | \"a!=\": a value must follow \"!=\"",
        "=web       | \"=web\": a label key is missing",
        "tier=web,  | \"\": is empty",
        "a,,b       | \"\": is empty",
        "Bad Key=x  | \"Bad Key=x\": label keys must be NAME or PREFIX/NAME",
        "a=b=c      | \"a=b=c\": label values must be 1-63",
        "a in (x,)  | \"a in (x,)\": a value is missing",
        "a in (x    | \"a in (x\": a set of values is written KEY in (A,B)",
        "a!b        | \"a!b\": '!' goes before a key",
        "berth.x=y  | \"berth.x=y\": label keys starting with \"berth.\" are Berth's own",
      })
  void aMalformedRequirementIsNamedWithTheRuleItBreaks(String selector, String message) {
    assertThatThrownBy(() -> LabelSelector.parse(selector))
        .isInstanceOf(InvalidSelectorException.class)
        .hasMessageStartingWith(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a=" + "x", "k8s.io/app=v1.2_3-b", "x in (a)", "!x", "x"})
  void wellFormedRequirementsParse(String selector) {
    assertThat(LabelSelector.parse(selector).requirements()).hasSize(1);
  }
}
