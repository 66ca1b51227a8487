package io.switchboard.server.widgets.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DestinationPolicyTest {

  private static byte[] ip(String literal) {
    byte[] b = DestinationPolicy.IpLiterals.parse(literal);
    assertThat(b).as(literal).isNotNull();
    return b;
  }

  @ParameterizedTest(name = "{0} denied={1}")
  @CsvSource({
      // IPv4 deny ranges: first, inside, last, and just outside
      "0.0.0.0, true", "0.255.255.255, true", "1.0.0.0, false",
      "10.0.0.0, true", "10.0.0.1, true", "10.255.255.255, true", "9.255.255.255, false", "11.0.0.0, false",
      "100.64.0.0, true", "100.100.100.200, true", "100.127.255.255, true", "100.63.255.255, false",
      "100.128.0.0, false",
      "127.0.0.1, true", "127.255.255.254, true", "128.0.0.0, false",
      "169.254.0.0, true", "169.254.169.254, true", "169.254.255.255, true", "169.253.255.255, false",
      "169.255.0.0, false",
      "172.16.0.0, true", "172.31.255.255, true", "172.15.255.255, false", "172.32.0.0, false",
      "192.0.0.0, true", "192.0.0.255, true", "192.0.1.0, false", "191.255.255.255, false",
      "192.168.0.0, true", "192.168.1.1, true", "192.168.255.255, true", "192.167.255.255, false",
      "192.169.0.0, false",
      "198.18.0.0, true", "198.19.255.255, true", "198.17.255.255, false", "198.20.0.0, false",
      "224.0.0.0, true", "239.255.255.255, true", "240.0.0.0, true", "255.255.255.255, true",
      "223.255.255.255, false",
      "8.8.8.8, false", "93.184.216.34, false", "1.1.1.1, false",
      // IPv6 deny ranges
      "::, true", "::1, true", "fc00::, true", "fd00:ec2::254, true", "fdff:ffff::1, true", "fe80::1, true",
      "febf:ffff::1, true", "fec0::1, false", "ff02::1, true", "ff00::, true", "2001::1, true",
      "2001:0:ffff::1, true", "2001:1::1, false", "2001:db8::1, false", "2606:4700:4700::1111, false",
      "fbff:ffff::1, false",
      // IPv4-mapped
      "::ffff:127.0.0.1, true", "::ffff:10.0.0.1, true", "::ffff:169.254.169.254, true", "::ffff:8.8.8.8, false",
      // IPv4-compatible
      "::127.0.0.1, true", "::10.0.0.1, true", "::192.168.0.1, true", "::8.8.8.8, false",
      // NAT64 64:ff9b::/96
      "64:ff9b::127.0.0.1, true", "64:ff9b::a00:1, true", "64:ff9b::169.254.169.254, true",
      "64:ff9b::8.8.8.8, false",
      // 6to4 2002::/16 (embedded IPv4 in bits 16..47)
      "2002:7f00:1::, true", "2002:a00:1::1, true", "2002:a9fe:a9fe::, true", "2002:c0a8:101::5, true",
      "2002:808:808::1, false",
  })
  void denyTable(String address, boolean denied) {
    assertThat(DestinationPolicy.defaults().isDenied(ip(address))).as(address).isEqualTo(denied);
  }

  @Test
  void inetAddressFormsAgree() throws Exception {
    DestinationPolicy p = DestinationPolicy.defaults();
    // Java turns ::ffff:a.b.c.d into an Inet4Address; both must be judged the same way.
    assertThat(p.isDenied(InetAddress.getByName("::ffff:127.0.0.1"))).isTrue();
    assertThat(p.isDenied(InetAddress.getByName("::7f00:1"))).isTrue();
    assertThat(p.isDenied(InetAddress.getByName("93.184.216.34"))).isFalse();
  }

  @Test
  void anyDeniedAddressDeniesTheSet() throws Exception {
    DestinationPolicy p = DestinationPolicy.defaults();
    InetAddress pub = InetAddress.getByName("93.184.216.34");
    InetAddress priv = InetAddress.getByName("10.1.2.3");
    assertThat(p.isDenied("h.example", new InetAddress[] {pub})).isFalse();
    assertThat(p.isDenied("h.example", new InetAddress[] {pub, priv})).isTrue();
    assertThat(p.isDenied("h.example", new InetAddress[0])).isTrue();
  }

  @Test
  void allowListCidrsExemptFromDenyRanges() {
    DestinationPolicy p = DestinationPolicy.withAllowList(List.of("127.0.0.1/32", "10.1.0.0/16", "fd00::/8"));
    assertThat(p.isDenied(ip("127.0.0.1"))).isFalse();
    assertThat(p.isDenied(ip("127.0.0.2"))).isTrue();
    assertThat(p.isDenied(ip("10.1.200.3"))).isFalse();
    assertThat(p.isDenied(ip("10.2.0.1"))).isTrue();
    assertThat(p.isDenied(ip("fd12::1"))).isFalse();
    assertThat(p.isDenied(ip("fc00::1"))).isTrue();
    // an allowed IPv4 is allowed in its embedded forms too
    assertThat(p.isDenied(ip("::ffff:127.0.0.1"))).isFalse();
    assertThat(p.isDenied(ip("64:ff9b::7f00:1"))).isFalse();
  }

  @Test
  void allowListLiteralAndHostNames() throws Exception {
    DestinationPolicy p = DestinationPolicy.withAllowList(List.of("192.168.1.10", "Internal.Example."));
    assertThat(p.isDenied(ip("192.168.1.10"))).isFalse();
    assertThat(p.isDenied(ip("192.168.1.11"))).isTrue();
    InetAddress priv = InetAddress.getByName("10.9.9.9");
    assertThat(p.isDenied("internal.example", new InetAddress[] {priv})).isFalse();
    assertThat(p.isDenied("INTERNAL.EXAMPLE.", priv)).isFalse();
    assertThat(p.isDenied("other.example", new InetAddress[] {priv})).isTrue();
  }

  @Test
  void malformedAllowEntriesAreRejected() {
    assertThatThrownBy(() -> DestinationPolicy.withAllowList(List.of("10.0.0.0/33")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DestinationPolicy.withAllowList(List.of("nonsense/8")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DestinationPolicy.withAllowList(List.of(" ")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
