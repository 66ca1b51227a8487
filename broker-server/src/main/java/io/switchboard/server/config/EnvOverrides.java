package io.switchboard.server.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The {@code SWITCHBOARD_*} environment variables that override config keys, one per key ({@link ConfigKey#envName}).
 *
 * <p>Other tools may set variables with the same prefix, so an unknown one is reported as a warning rather than an
 * error, and the launch scripts' own variables are not reported at all. An empty variable is ignored (with a
 * warning): deployment templates often expand an unset variable to an empty string.
 */
final class EnvOverrides {
  /** Read by scripts/run and scripts/lib.sh, not by the broker. */
  private static final Set<String> LAUNCHER_VARIABLES = Set.of(
      "SWITCHBOARD_JAVA_OPTS", "SWITCHBOARD_HEAP", "SWITCHBOARD_HEAP_MIN", "SWITCHBOARD_DIRECT_MEMORY");

  private EnvOverrides() {}

  /** Dotted key → text of every override set in {@code env}, sorted by variable name. */
  static Map<String, String> read(Map<String, String> env, Consumer<String> warnings) {
    Map<String, String> byEnvName = new LinkedHashMap<>();
    for (ConfigKey<?> k : ConfigKeys.all()) {
      byEnvName.put(k.envName(), k.path());
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(ConfigKey.ENV_PREFIX) || LAUNCHER_VARIABLES.contains(name)) {
        continue;
      }
      String path = byEnvName.get(name);
      if (path == null) {
        warnings.accept(name + " is not a config variable; ignored" + hint(name, byEnvName.keySet()));
      } else if (e.getValue().isEmpty()) {
        warnings.accept(name + " is empty; ignored (" + path + " keeps its file or default value)");
      } else {
        out.put(path, e.getValue());
      }
    }
    return out;
  }

  private static String hint(String name, Set<String> known) {
    List<String> unprefixed = known.stream().map(EnvOverrides::unprefixed).toList();
    return NearestMatch.find(unprefixed(name), unprefixed)
        .map(m -> " (did you mean " + ConfigKey.ENV_PREFIX + m + "?)")
        .orElse("");
  }

  private static String unprefixed(String name) {
    return name.substring(ConfigKey.ENV_PREFIX.length());
  }
}
