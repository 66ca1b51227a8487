package io.switchboard.server.config;

import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * One row of the key table: a dotted path, its type, where its value goes, and a one-line description.
 *
 * @param path dotted path in the YAML file, for example {@code server.limits.maxFramePayloadBytes}
 * @param type how the value is parsed
 * @param setter stores the parsed value into the draft
 * @param secret never logged or printed; {@code config/broker.yaml} shows it commented out
 * @param doc what the key does, for {@code genconfig --keys}
 */
public record ConfigKey<T>(
    String path, ValueType<T> type, BiConsumer<ConfigDraft, T> setter, boolean secret, String doc) {

  /** Prefix of every environment override. */
  public static final String ENV_PREFIX = "SWITCHBOARD_";

  public static <T> ConfigKey<T> of(String path, ValueType<T> type, BiConsumer<ConfigDraft, T> setter, String doc) {
    return new ConfigKey<>(path, type, setter, false, doc);
  }

  public static ConfigKey<String> secret(String path, BiConsumer<ConfigDraft, String> setter, String doc) {
    return new ConfigKey<>(path, ValueType.STRING, setter, true, doc);
  }

  /** Parses {@code text} (null: an empty YAML value) and stores it; throws ConfigException naming the key. */
  void apply(ConfigDraft draft, String text) {
    setter.accept(draft, type.parse(path, text));
  }

  /** The environment variable overriding this key: {@code store.dataDir} is {@code SWITCHBOARD_STORE_DATA_DIR}. */
  public String envName() {
    return envName(path);
  }

  static String envName(String dottedPath) {
    StringBuilder sb = new StringBuilder(ENV_PREFIX);
    char prev = '.';
    for (char c : dottedPath.toCharArray()) {
      if (c == '.') {
        sb.append('_');
      } else {
        if (Character.isUpperCase(c) && (Character.isLowerCase(prev) || Character.isDigit(prev))) {
          sb.append('_');
        }
        sb.append(c);
      }
      prev = c;
    }
    return sb.toString().toUpperCase(Locale.ROOT);
  }
}
