package io.switchboard.bench.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The order of the targets in each round of {@code --rounds N}: as given in even rounds, reversed in odd ones
 * (A B, B A, A B...). The same client JVM drives every target, and the one measured second finds the client warmer
 * and the host in another minute: on the fan-out, one A B B A run gave switchboard 0.79 × baseline measured
 * first and 0.86 measured second (PERFORMANCE.md). Alternating, and combining each target's runs, evens that out.
 */
final class RoundOrder {
  private RoundOrder() {}

  static List<Target> of(List<Target> targets, int round) {
    List<Target> order = new ArrayList<>(targets);
    if (round % 2 == 1) {
      Collections.reverse(order);
    }
    return order;
  }
}
