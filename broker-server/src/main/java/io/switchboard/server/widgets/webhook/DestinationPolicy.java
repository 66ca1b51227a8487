package io.switchboard.server.widgets.webhook;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The SSRF rules of widgets §5.6: which destination addresses a webhook may reach.
 *
 * <p>Denied IPv4: 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.0.0/24, 192.168/16, 198.18/15, 224/4,
 * 240/4. Denied IPv6: ::/128, ::1/128, fc00::/7, fe80::/10, ff00::/8, 2001::/32. IPv4-mapped (::ffff:0:0/96),
 * IPv4-compatible (::/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses are judged by their embedded IPv4
 * address. Allow-list entries (CIDRs or exact host names) exempt from the deny ranges; a CIDR entry matches the
 * address itself or its embedded IPv4 address. Immutable and thread-safe.
 */
public final class DestinationPolicy {

  private static final List<Cidr> DENY_V4 = List.of(
      Cidr.parse("0.0.0.0/8"), Cidr.parse("10.0.0.0/8"), Cidr.parse("100.64.0.0/10"), Cidr.parse("127.0.0.0/8"),
      Cidr.parse("169.254.0.0/16"), Cidr.parse("172.16.0.0/12"), Cidr.parse("192.0.0.0/24"),
      Cidr.parse("192.168.0.0/16"), Cidr.parse("198.18.0.0/15"), Cidr.parse("224.0.0.0/4"),
      Cidr.parse("240.0.0.0/4"));

  private static final List<Cidr> DENY_V6 = List.of(
      Cidr.parse("::/128"), Cidr.parse("::1/128"), Cidr.parse("fc00::/7"), Cidr.parse("fe80::/10"),
      Cidr.parse("ff00::/8"), Cidr.parse("2001::/32"));

  private static final DestinationPolicy DEFAULT = new DestinationPolicy(List.of(), Set.of());

  private final List<Cidr> allowCidrs;
  private final Set<String> allowHosts;

  private DestinationPolicy(List<Cidr> allowCidrs, Set<String> allowHosts) {
    this.allowCidrs = List.copyOf(allowCidrs);
    this.allowHosts = Set.copyOf(allowHosts);
  }

  /** The deny ranges with an empty allow-list. */
  public static DestinationPolicy defaults() {
    return DEFAULT;
  }

  /**
   * A policy with the given allow-list ({@code widgets.webhook.allow}). An entry containing {@code /} is a CIDR
   * (IPv4 or IPv6); anything else that parses as a literal IP is that address as a /32 or /128; the rest are exact
   * host names (case-insensitive, a trailing dot ignored).
   *
   * @throws IllegalArgumentException for a malformed CIDR or an empty entry
   */
  public static DestinationPolicy withAllowList(Collection<String> allow) {
    List<Cidr> cidrs = new ArrayList<>();
    Set<String> hosts = new HashSet<>();
    for (String raw : allow) {
      String entry = raw == null ? "" : raw.trim();
      if (entry.isEmpty()) {
        throw new IllegalArgumentException("empty allow-list entry");
      }
      if (entry.indexOf('/') >= 0) {
        cidrs.add(Cidr.parse(entry));
      } else if (IpLiterals.parse(entry) != null) {
        byte[] a = IpLiterals.parse(entry);
        cidrs.add(new Cidr(a, a.length * 8));
      } else {
        hosts.add(normalizeHost(entry));
      }
    }
    return new DestinationPolicy(cidrs, hosts);
  }

  /** True when the host name is on the allow-list (all its addresses are then exempt). */
  public boolean isAllowedHost(String host) {
    return host != null && !allowHosts.isEmpty() && allowHosts.contains(normalizeHost(host));
  }

  /** Whether a connection to {@code address}, resolved from {@code host} (may be null), is denied. */
  public boolean isDenied(String host, InetAddress address) {
    if (isAllowedHost(host)) {
      return false;
    }
    return isDenied(address.getAddress());
  }

  /** Whether the address is denied, ignoring host-name allow-list entries. */
  public boolean isDenied(InetAddress address) {
    return isDenied(address.getAddress());
  }

  /** Whether the raw address (4 or 16 bytes) is denied, ignoring host-name allow-list entries. */
  public boolean isDenied(byte[] address) {
    byte[] embedded = address.length == 16 ? embeddedIpv4(address) : null;
    for (Cidr c : allowCidrs) {
      if (c.contains(address) || (embedded != null && c.contains(embedded))) {
        return false;
      }
    }
    if (address.length == 4) {
      return inAny(DENY_V4, address);
    }
    if (address.length != 16) {
      return true;
    }
    if (inAny(DENY_V6, address)) {
      return true;
    }
    return embedded != null && inAny(DENY_V4, embedded);
  }

  /** Whether the resolved set is acceptable: denied when ANY address is denied (or the set is empty). */
  public boolean isDenied(String host, InetAddress[] addresses) {
    if (addresses == null || addresses.length == 0) {
      return true;
    }
    if (isAllowedHost(host)) {
      return false;
    }
    for (InetAddress a : addresses) {
      if (isDenied(a.getAddress())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The IPv4 address embedded in an IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96), NAT64 (64:ff9b::/96) or
   * 6to4 (2002::/16) IPv6 address, or null.
   */
  static byte[] embeddedIpv4(byte[] a) {
    if (a.length != 16) {
      return null;
    }
    if (zero(a, 0, 10) && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) {
      return slice(a, 12);                                             // ::ffff:a.b.c.d
    }
    if (zero(a, 0, 12)) {
      return slice(a, 12);                                             // ::a.b.c.d (deprecated compatible)
    }
    if ((a[0] & 0xff) == 0x00 && (a[1] & 0xff) == 0x64 && (a[2] & 0xff) == 0xff && (a[3] & 0xff) == 0x9b
        && zero(a, 4, 12)) {
      return slice(a, 12);                                             // 64:ff9b::a.b.c.d
    }
    if ((a[0] & 0xff) == 0x20 && (a[1] & 0xff) == 0x02) {
      return new byte[] {a[2], a[3], a[4], a[5]};                      // 2002:AABB:CCDD::/48
    }
    return null;
  }

  private static boolean zero(byte[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] slice(byte[] a, int from) {
    return new byte[] {a[from], a[from + 1], a[from + 2], a[from + 3]};
  }

  private static boolean inAny(List<Cidr> ranges, byte[] a) {
    for (Cidr c : ranges) {
      if (c.contains(a)) {
        return true;
      }
    }
    return false;
  }

  static String normalizeHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h;
  }

  @Override
  public String toString() {
    return "DestinationPolicy{allowCidrs=" + allowCidrs + ", allowHosts=" + allowHosts + "}";
  }

  /** A CIDR block over raw address bytes. */
  record Cidr(byte[] network, int prefix) {

    Cidr {
      if (prefix < 0 || prefix > network.length * 8) {
        throw new IllegalArgumentException("bad prefix length " + prefix);
      }
      network = network.clone();
    }

    static Cidr parse(String text) {
      int slash = text.indexOf('/');
      if (slash < 0) {
        throw new IllegalArgumentException("not a CIDR: " + text);
      }
      byte[] addr = IpLiterals.parse(text.substring(0, slash).trim());
      if (addr == null) {
        throw new IllegalArgumentException("not a CIDR: " + text);
      }
      int prefix;
      try {
        prefix = Integer.parseInt(text.substring(slash + 1).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a CIDR: " + text, e);
      }
      if (prefix < 0 || prefix > addr.length * 8) {
        throw new IllegalArgumentException("not a CIDR: " + text);
      }
      return new Cidr(addr, prefix);
    }

    boolean contains(byte[] a) {
      if (a.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (a[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
      try {
        return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
      } catch (java.net.UnknownHostException e) {
        return "?/" + prefix;
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(network) * 31 + prefix;
    }
  }

  /** Literal IP parsing without any name resolution. */
  static final class IpLiterals {
    private IpLiterals() {}

    /** The bytes of a literal IPv4 (dotted quad) or IPv6 (optionally bracketed) address, or null. */
    static byte[] parse(String text) {
      if (text == null || text.isEmpty()) {
        return null;
      }
      String t = text;
      if (t.startsWith("[") && t.endsWith("]")) {
        t = t.substring(1, t.length() - 1);
      }
      if (t.indexOf(':') >= 0) {
        int pct = t.indexOf('%');
        if (pct >= 0) {
          t = t.substring(0, pct);
        }
        if (!t.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == ':' || ch == '.')) {
          return null;
        }
        try {
          // A literal containing ':' is never resolved; the 16 bytes are kept even for ::ffff:a.b.c.d.
          InetAddress a = InetAddress.getByName("[" + t + "]");
          byte[] b = a.getAddress();
          if (a instanceof Inet4Address) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(b, 0, mapped, 12, 4);
            return mapped;
          }
          return b;
        } catch (java.net.UnknownHostException e) {
          return null;
        }
      }
      String[] parts = t.split("\\.", -1);
      if (parts.length != 4) {
        return null;
      }
      byte[] out = new byte[4];
      for (int i = 0; i < 4; i++) {
        String p = parts[i];
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
          return null;
        }
        int v = Integer.parseInt(p);
        if (v > 255) {
          return null;
        }
        out[i] = (byte) v;
      }
      return out;
    }
  }
}
