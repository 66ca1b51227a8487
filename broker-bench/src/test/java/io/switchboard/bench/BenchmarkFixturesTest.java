package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The benchmarks measure what they claim: each one's setup builds a valid input and one call gives the expected
 * result (a benchmark over a message that fails verification would time the error path). No timing here.
 */
class BenchmarkFixturesTest {

  @Test
  void deviceVerify_verifiesEveryVariant() throws Exception {
    for (String buffer : new String[] {"heap", "direct"}) {
      for (int padding : new int[] {0, 4000}) {
        DeviceVerifyBenchmark b = new DeviceVerifyBenchmark();
        b.buffer = buffer;
        b.padding = padding;
        b.setUp();
        try {
          assertThat(b.scanAndVerify()).as(buffer + "/" + padding).isEqualTo(1);
          assertThat(b.scanOnly()).isPositive();
        } finally {
          b.tearDown();
        }
      }
    }
  }

  @Test
  void jsonScan_findsThePayload() throws Exception {
    for (String buffer : new String[] {"heap", "direct"}) {
      JsonScanBenchmark b = new JsonScanBenchmark();
      b.buffer = buffer;
      b.setUp();
      try {
        assertThat(b.scan()).isGreaterThan(1795493877L);
      } finally {
        b.tearDown();
      }
    }
  }

  @Test
  void hmac_everyProviderAgrees() throws Exception {
    HmacBenchmark b = new HmacBenchmark();
    b.setUp();
    try {
      byte[] expected = b.jcaHeap();
      assertThat(b.jcaDirect()).isEqualTo(expected);
      assertThat(b.bouncyCastleHeap()).isEqualTo(expected);
      assertThat(b.codecHeapSpan()).isEqualTo(expected);
      assertThat(b.codecDirectSpan()).isEqualTo(expected);
    } finally {
      b.tearDown();
    }
  }
}
