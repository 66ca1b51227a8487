package io.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.BrokerConfig;
import io.switchboard.core.config.StoreEngine;
import io.switchboard.testkit.Http;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The binary's broker, as {@code run} builds it, serves JVM and process meters on /metrics. */
class SystemMetricsTest {
  @Test
  void jvmAndProcessMetersAppearOnMetrics() {
    BrokerConfig.Builder b = BrokerConfig.builder().port(0);
    b.server().host("127.0.0.1");
    b.store().engine(StoreEngine.MEMORY);
    BrokerProcess process = new BrokerProcess(b.build());
    assertThat(process.start()).isTrue();
    try {
      HttpResponse<String> r = Http.get(process.broker().activeLocalPort(), "/metrics");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body())
          .contains("jvm_memory_used_bytes{")
          .contains("jvm_threads_live_threads")
          .contains("jvm_gc_")
          .contains("system_cpu_count")
          .contains("process_uptime_seconds")
          .contains("switchboard_");
    } finally {
      process.stop();
    }
    assertThat(process.broker().whenStopped()).isDone();
  }
}
