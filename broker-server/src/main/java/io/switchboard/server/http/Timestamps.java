package io.switchboard.server.http;

import io.netty.util.concurrent.FastThreadLocal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * UTC timestamps as the dialects write them into messages, one per message: the date and time of day are
 * formatted once per second per thread and only the fraction is written per call. {@link Instant#toString} and a
 * {@link DateTimeFormatter} walk their field printers for every call: 2.5 % of the event loops' samples under
 * {@code devices --max}, where an event's state record and feed item both carry its time.
 */
public final class Timestamps {
  private Timestamps() {}

  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private static final FastThreadLocal<LastSecond> LAST = new FastThreadLocal<>() {
    @Override
    protected LastSecond initialValue() {
      return new LastSecond();
    }
  };

  /** The text of {@link Instant#toString}: ISO-8601, the fraction in three, six or nine digits, or none. */
  public static String iso(Instant t) {
    int nano = t.getNano();
    String seconds = LAST.get().iso(t.getEpochSecond());
    if (nano == 0) {
      return seconds + 'Z';
    }
    StringBuilder sb = new StringBuilder(seconds.length() + 11).append(seconds).append('.');
    if (nano % 1_000_000 == 0) {
      digits(sb, nano / 1_000_000, 3);
    } else if (nano % 1_000 == 0) {
      digits(sb, nano / 1_000, 6);
    } else {
      digits(sb, nano, 9);
    }
    return sb.append('Z').toString();
  }

  /** {@code yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'} in UTC: always nine fraction digits (bots and rooms). */
  public static String isoNanos(Instant t) {
    String seconds = LAST.get().pattern(t.getEpochSecond());
    StringBuilder sb = new StringBuilder(seconds.length() + 11).append(seconds).append('.');
    digits(sb, t.getNano(), 9);
    return sb.append('Z').toString();
  }

  private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

  /** {@code value} in exactly {@code width} digits, zeros first. */
  private static void digits(StringBuilder sb, int value, int width) {
    for (int div = POW10[width - 1]; div > 0; div /= 10) {
      sb.append((char) ('0' + value / div % 10));
    }
  }

  /** One thread's last formatted second, in each of the two forms (made on first use). */
  private static final class LastSecond {
    private long isoSecond = Long.MIN_VALUE;
    private String isoText;
    private long patternSecond = Long.MIN_VALUE;
    private String patternText;

    String iso(long epochSecond) {
      if (epochSecond != isoSecond) {
        String s = Instant.ofEpochSecond(epochSecond).toString(); // whole second: no fraction, ends in 'Z'
        isoText = s.substring(0, s.length() - 1);
        isoSecond = epochSecond;
      }
      return isoText;
    }

    String pattern(long epochSecond) {
      if (epochSecond != patternSecond) {
        patternText = SECONDS.format(Instant.ofEpochSecond(epochSecond));
        patternSecond = epochSecond;
      }
      return patternText;
    }
  }
}
