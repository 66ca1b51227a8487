package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/** The fan-out benchmark moves the bytes it claims in every variant and leaks nothing (paranoid detection). */
class FanoutEncodeBenchmarkTest {

  @Test
  void everyVariant_deliversOneFramePerSubscriber() {
    for (String shape : new String[] {"ws", "sse"}) {
      FanoutEncodeBenchmark b = new FanoutEncodeBenchmark();
      b.subscribers = 100;
      b.shape = shape;
      b.setUp();
      try {
        long once = b.encodeOnceDuplicate();
        assertThat(once).as(shape).isGreaterThan(100L * 450);
        assertThat(b.encodePerSubscriber()).as(shape).isBetween(once - 200, once + 200);
        b.encodeOnceToChannels(new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous."));
      } finally {
        b.tearDown();
      }
    }
  }
}
