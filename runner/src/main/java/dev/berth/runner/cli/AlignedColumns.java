package dev.berth.runner.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Text in aligned columns: every column as wide as its widest cell, two spaces between columns,
 * nothing trailing. Cells are written as given; an empty cell prints as nothing, so callers put
 * {@code -} where "no value" should be visible.
 */
public final class AlignedColumns {

  private static final String GAP = "  ";

  private final int columns;
  private final List<String[]> rows = new ArrayList<>();
  private final boolean hasHeader;

  private AlignedColumns(int columns, String[] header) {
    this.columns = columns;
    this.hasHeader = header != null;
    if (header != null) {
      rows.add(header);
    }
  }

  /** A table whose first line names the columns. */
  public static AlignedColumns withHeader(String... header) {
    return new AlignedColumns(header.length, header.clone());
  }

  /** A table of {@code columns} columns and no header, such as key/value lines. */
  public static AlignedColumns withoutHeader(int columns) {
    return new AlignedColumns(columns, null);
  }

  /** Adds a row of exactly as many cells as the table has columns; null prints as nothing. */
  public AlignedColumns row(String... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException(
          "a row of " + columns + " cells expected, got " + Arrays.toString(cells));
    }
    String[] copy = new String[columns];
    for (int i = 0; i < columns; i++) {
      copy[i] = cells[i] == null ? "" : cells[i];
    }
    rows.add(copy);
    return this;
  }

  /** Whether there are rows besides the header. */
  public boolean isEmpty() {
    return rows.size() == (hasHeader ? 1 : 0);
  }

  /** The table's lines, each prefixed with {@code indent}. */
  public List<String> lines(String indent) {
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], width(row[i]));
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - width(row[i]))).append(GAP);
        }
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  public void print(PrintWriter out) {
    print(out, "");
  }

  public void print(PrintWriter out, String indent) {
    lines(indent).forEach(out::println);
  }

  private static int width(String cell) {
    return cell.codePointCount(0, cell.length());
  }
}
