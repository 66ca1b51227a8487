package io.switchboard.codec.devices;

/**
 * How characters above U+007F are written in an outbound payload, chosen by the connection's {@code platform}
 * header (devices.md §4.3 rule 5): Python re-serialises with {@code ensure_ascii} and so must receive
 * <code>&#92;u00e9</code>; JavaScript and the ESP compare raw text and so must receive the UTF-8 bytes.
 */
public enum StringEscaping {
  /** Raw UTF-8: NodeJS, ESP8266, ESP32, RP2040, unknown or missing platform. */
  RAW_UTF8,
  /** <code>&#92;uxxxx</code> in lower-case hex, surrogate pairs above U+FFFF: Python. */
  ASCII;

  /** The escaping for a {@code platform} header value (trimmed, case-insensitive; {@code null} when absent). */
  public static StringEscaping forPlatform(String platform) {
    return platform != null && platform.trim().equalsIgnoreCase("Python") ? ASCII : RAW_UTF8;
  }
}
