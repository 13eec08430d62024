package dev.berth.store.toml;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Suggests the known key a misspelt one was probably meant to be. */
public final class ClosestKey {

  /** More edits than this and a suggestion is more often wrong than helpful. */
  static final int MAX_EDITS = 2;

  private ClosestKey() {}

  /**
   * The known key nearest to {@code unknown}, if it is close: at most one edit for keys shorter
   * than six characters, at most {@value #MAX_EDITS} for longer ones. A swap of two neighbouring
   * letters ({@code imgae}) is one edit; case is ignored. On a tie, the first in {@code known}
   * wins.
   */
  public static Optional<String> among(String unknown, List<String> known) {
    int allowed = Math.min(MAX_EDITS, Math.max(1, unknown.length() / 3));
    String best = null;
    int bestDistance = allowed + 1;
    for (String candidate : known) {
      int d = distance(unknown.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
