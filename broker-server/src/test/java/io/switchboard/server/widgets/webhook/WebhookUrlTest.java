package io.switchboard.server.widgets.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.widgets.webhook.WebhookUrl.Refusal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookUrlTest {

  private static final Set<Integer> PORTS = WebhookUrl.DEFAULT_ALLOWED_PORTS;
  private static final DestinationPolicy POLICY = DestinationPolicy.defaults();

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
      "ftp://hooks.example.com/x, UNSUPPORTED_SCHEME",
      "file:///etc/passwd, UNSUPPORTED_SCHEME",
      "javascript:alert(1), UNSUPPORTED_SCHEME",
      "http:opaque, MISSING_HOST",
      "http:///nohost, MISSING_HOST",
      "/relative/path, MALFORMED",
      "http://exa mple.com/, MALFORMED",
      "http://user:pw@hooks.example.com/, USER_INFO",
      "http://user@hooks.example.com/, USER_INFO",
      "http://hooks.example.com:8080/, PORT_NOT_ALLOWED",
      "https://hooks.example.com:22/, PORT_NOT_ALLOWED",
      "http://127.0.0.1/, DESTINATION_DENIED",
      "http://10.0.0.1/, DESTINATION_DENIED",
      "http://169.254.169.254/latest/meta-data/, DESTINATION_DENIED",
      "http://[::1]/, DESTINATION_DENIED",
      "http://[::ffff:127.0.0.1]/, DESTINATION_DENIED",
      "http://[fd00:ec2::254]/, DESTINATION_DENIED",
      "http://[64:ff9b::a9fe:a9fe]/, DESTINATION_DENIED",
      "http://[2002:a00:1::]/, DESTINATION_DENIED",
  })
  void refusals(String url, Refusal refusal) {
    WebhookUrl.Result r = WebhookUrl.parse(url, PORTS, POLICY);
    assertThat(r).isInstanceOf(WebhookUrl.Refused.class);
    assertThat(((WebhookUrl.Refused) r).refusal()).isEqualTo(refusal);
  }

  @Test
  void emptyAndTooLong() {
    assertThat(((WebhookUrl.Refused) WebhookUrl.parse("", PORTS, POLICY)).refusal()).isEqualTo(Refusal.EMPTY);
    assertThat(((WebhookUrl.Refused) WebhookUrl.parse(null, PORTS, POLICY)).refusal()).isEqualTo(Refusal.EMPTY);
    String base = "https://hooks.example.com/";
    String ok = base + "a".repeat(WebhookUrl.MAX_LENGTH - base.length());
    assertThat(WebhookUrl.parse(ok, PORTS, POLICY).isValid()).isTrue();
    assertThat(((WebhookUrl.Refused) WebhookUrl.parse(ok + "a", PORTS, POLICY)).refusal())
        .isEqualTo(Refusal.TOO_LONG);
  }

  @Test
  void validUrlParts() {
    WebhookUrl u = WebhookUrl.of("HTTPS://Hooks.Example.com:443/poll?a=1#frag", PORTS, POLICY);
    assertThat(u.isHttps()).isTrue();
    assertThat(u.host()).isEqualTo("Hooks.Example.com");
    assertThat(u.port()).isEqualTo(443);
    assertThat(u.hostHeader()).isEqualTo("Hooks.Example.com:443");
    assertThat(u.requestTarget()).isEqualTo("/poll?a=1");
    assertThat(u.isLiteralIp()).isFalse();

    WebhookUrl plain = WebhookUrl.of("http://hooks.example.com", PORTS, POLICY);
    assertThat(plain.port()).isEqualTo(80);
    assertThat(plain.hostHeader()).isEqualTo("hooks.example.com");
    assertThat(plain.requestTarget()).isEqualTo("/");

    WebhookUrl v6 = WebhookUrl.of("http://[2606:4700:4700::1111]/x", PORTS, POLICY);
    assertThat(v6.host()).isEqualTo("2606:4700:4700::1111");
    assertThat(v6.hostHeader()).isEqualTo("[2606:4700:4700::1111]");
    assertThat(v6.isLiteralIp()).isTrue();
  }

  @Test
  void allowListAndPortsAreConfigurable() {
    DestinationPolicy allow = DestinationPolicy.withAllowList(List.of("127.0.0.1/32"));
    assertThat(WebhookUrl.parse("http://127.0.0.1:8080/", Set.of(80, 443, 8080), allow).isValid()).isTrue();
    assertThat(WebhookUrl.parse("http://127.0.0.1/", Set.of(443), allow).isValid()).isFalse();
    // syntax-only parse leaves the destination to the client's per-hop check
    assertThat(WebhookUrl.parse("http://10.0.0.1/", PORTS).isValid()).isTrue();
  }
}
