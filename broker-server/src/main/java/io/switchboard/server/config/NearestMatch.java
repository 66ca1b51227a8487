package io.switchboard.server.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The known name closest to a misspelt one, for "did you mean" hints. Case, {@code _} and {@code -} are ignored
 * ({@code data_dir} finds {@code dataDir}); a key put under the wrong section is found by its last segment
 * ({@code server.dataDir} finds {@code store.dataDir}).
 */
final class NearestMatch {
  private NearestMatch() {}

  static Optional<String> find(String wrong, Collection<String> known) {
    String w = normalize(wrong);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(w, normalize(k));
      if (d < bestDistance || (d == bestDistance && best != null && k.compareTo(best) < 0)) {
        best = k;
        bestDistance = d;
      }
    }
    if (best != null && bestDistance <= Math.max(2, w.length() / 4)) {
      return Optional.of(best);
    }
    String tail = normalize(lastSegment(wrong));
    return known.stream().filter(k -> normalize(lastSegment(k)).equals(tail)).sorted().findFirst();
  }

  private static String lastSegment(String s) {
    return s.substring(s.lastIndexOf('.') + 1);
  }

  private static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
