package io.switchboard.server.config;

import io.switchboard.core.config.BrokerConfig;
import io.switchboard.core.config.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Loads the broker's configuration: built-in defaults, then the YAML file, then {@code SWITCHBOARD_*} environment
 * variables, then explicit overrides (the CLI flags); each later source wins.
 *
 * <p>Every value goes through the {@link ConfigKeys} table into one {@link BrokerConfig.Builder}, and the config
 * records validate once at the end, exactly as for an embedder's code config. Every error is a
 * {@link ConfigException} whose message starts with the key at fault (or the file, for a YAML syntax error).
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * Loads {@code file} (null: built-in defaults only) with overrides from {@code env}; warnings go to the log.
   *
   * @param env the environment, {@code System.getenv()} in production
   */
  public static BrokerConfig load(Path file, Map<String, String> env) {
    return load(file, env, Map.of(), ConfigLoader::logWarning);
  }

  /**
   * Loads {@code file} (null: built-in defaults only), then {@code env}, then {@code overrides}.
   *
   * @param overrides dotted key → value text, applied last (for example {@code "server.port" → "9090"})
   * @param warnings receives problems that do not stop loading, such as an unknown {@code SWITCHBOARD_} variable
   */
  public static BrokerConfig load(
      Path file, Map<String, String> env, Map<String, String> overrides, Consumer<String> warnings) {
    ConfigDraft draft = new ConfigDraft();
    if (file != null) {
      YamlConfigFile.Contents contents = YamlConfigFile.readAll(file);
      apply(draft, contents.values());
      draft.broker().identities(contents.identities());
    }
    apply(draft, EnvOverrides.read(env, warnings));
    apply(draft, overrides);
    return draft.build();
  }

  private static void apply(ConfigDraft draft, Map<String, String> values) {
    values.forEach((path, text) -> ConfigKeys.require(path).apply(draft, text));
  }

  private static void logWarning(String warning) {
    // Looked up here, not in a static field, so that loading config never initialises logging by itself.
    LoggerFactory.getLogger(ConfigLoader.class).warn("config: {}", warning);
  }
}
