package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AlignedColumnsTest {

  @Test
  void everyColumnIsAsWideAsItsWidestCellWithTwoSpacesBetween() {
    AlignedColumns table =
        AlignedColumns.withHeader("SERVICE", "STATE", "PORTS")
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
    AlignedColumns table = AlignedColumns.withHeader("A", "B").row("x", "").row("y", "long value");

    assertThat(table.lines("")).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
    assertThat(table.lines("")).containsExactly("A  B", "x", "y  long value");
  }

  @Test
  void anIndentPrefixesEveryLine() {
    AlignedColumns table = AlignedColumns.withoutHeader(2).row("node", "n1").row("version", "1.0");

    assertThat(table.lines("  ")).containsExactly("  node     n1", "  version  1.0");
  }

  @Test
  void widthCountsCharactersNotBytes() {
    AlignedColumns table = AlignedColumns.withHeader("NAME", "X").row("café", "1").row("caf", "2");

    assertThat(table.lines("")).containsExactly("NAME  X", "café  1", "caf   2");
  }

  @Test
  void aTableWithOnlyItsHeaderIsEmpty() {
    assertThat(AlignedColumns.withHeader("A").isEmpty()).isTrue();
    assertThat(AlignedColumns.withHeader("A").row("x").isEmpty()).isFalse();
    assertThat(AlignedColumns.withoutHeader(1).isEmpty()).isTrue();
  }

  @Test
  void aRowOfTheWrongLengthIsRefused() {
    assertThatThrownBy(() -> AlignedColumns.withHeader("A", "B").row("only one"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 cells");
  }
}
