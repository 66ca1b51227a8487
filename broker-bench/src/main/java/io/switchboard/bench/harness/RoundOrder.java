package io.switchboard.bench.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The order of the targets in each round of {@code --rounds N}: as given in even rounds, reversed in odd ones
 * (A B, B A, A B...). The same client JVM drives every target, and the one measured second finds the client warmer
 * and the host in another minute: measured on the fan-out, switchboard first gave 0.83–0.91 × baseline and
 * baseline first 0.94–0.97 (PERFORMANCE.md). Alternating, and combining each target's runs, cancels that bias.
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
