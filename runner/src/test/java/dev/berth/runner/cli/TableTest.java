package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void everyColumnIsAsWideAsItsWidestCellWithTwoSpacesBetween() {
    Table table =
        Table.withHeader("SERVICE", "STATE", "PORTS")
            .row("hello", "running", "127.0.0.1:10000->8080 (http)")
            .row("a-much-longer-name", "pending", "-");

    assertThat(table.lines(""))
        .containsExactly(
            "SERVICE             STATE    PORTS",
            "hello               running  127.0.0.1:10000->8080 (http)",
            "a-much-longer-name  pending  -");
  }

  @Test
  void theLastColumnIsNotPaddedSoNoLineEndsInSpaces() {
    Table table = Table.withHeader("A", "B").row("x", "").row("y", "long value");

    assertThat(table.lines("")).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
    assertThat(table.lines("")).containsExactly("A  B", "x", "y  long value");
  }

  @Test
  void anIndentPrefixesEveryLine() {
    Table table = Table.withoutHeader(2).row("node", "n1").row("version", "1.0");

    assertThat(table.lines("  ")).containsExactly("  node     n1", "  version  1.0");
  }

  @Test
  void widthCountsCharactersNotBytes() {
    Table table = Table.withHeader("NAME", "X").row("café", "1").row("caf", "2");

    assertThat(table.lines("")).containsExactly("NAME  X", "café  1", "caf   2");
  }

  @Test
  void aTableWithOnlyItsHeaderIsEmpty() {
    assertThat(Table.withHeader("A").isEmpty()).isTrue();
    assertThat(Table.withHeader("A").row("x").isEmpty()).isFalse();
    assertThat(Table.withoutHeader(1).isEmpty()).isTrue();
  }

  @Test
  void aRowOfTheWrongLengthIsRefused() {
    assertThatThrownBy(() -> Table.withHeader("A", "B").row("only one"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 cells");
  }
}
