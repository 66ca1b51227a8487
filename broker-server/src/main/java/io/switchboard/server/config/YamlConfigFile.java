package io.switchboard.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.switchboard.core.config.ConfigException;
import io.switchboard.core.config.DeclaredIdentities;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a YAML config file into dotted key → scalar text pairs (text null for an empty value), in file order.
 *
 * <p>Only the shape is checked here: every key must be in the {@link ConfigKeys} table, sections must be mappings and
 * values scalars. Values are parsed later, by the key's {@link ValueType}, exactly like environment values.
 */
final class YamlConfigFile {
  private static final YAMLMapper MAPPER = YAMLMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  static final String IDENTITIES = "identities";

  private YamlConfigFile() {}

  /**
   * @throws ConfigException naming the key at fault, or naming the file (with line and column) when it is not
   *     readable YAML
   */
  static Map<String, String> read(Path file) {
    return readAll(file).values();
  }

  /** The file's keys and, apart, its {@code identities:} section. */
  record Contents(Map<String, String> values, DeclaredIdentities identities) {}

  static Contents readAll(Path file) {
    JsonNode root;
    try {
      root = MAPPER.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw new ConfigException(file.toString(), where(e.getLocation()) + problem(e));
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), "no such file");
    } catch (AccessDeniedException e) {
      throw new ConfigException(file.toString(), "permission denied");
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "cannot read (" + e + ")");
    }
    Map<String, String> out = new LinkedHashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return new Contents(out, DeclaredIdentities.none()); // empty, or only comments: every default
    }
    if (!root.isObject()) {
      throw new ConfigException(file.toString(), "expected a mapping of sections (server:, store:, ...) at the top");
    }
    DeclaredIdentities identities = DeclaredIdentities.none();
    if (root.has(IDENTITIES)) {
      identities = identities(((ObjectNode) root).remove(IDENTITIES));
    }
    walk("", root, out);
    return new Contents(out, identities);
  }

  /**
   * {@code identities: {<kind>: [ {record}, ... ]}}: each record kept as JSON for its kind to validate at start
   * (only the dialect serving a kind knows its fields).
   */
  private static DeclaredIdentities identities(JsonNode section) {
    DeclaredIdentities out = DeclaredIdentities.none();
    if (section == null || section.isNull()) {
      return out;
    }
    if (!section.isObject()) {
      throw new ConfigException(IDENTITIES, "a single value (expected: a mapping of kinds such as "
          + "identities.apps, each a list of records)");
    }
    for (Map.Entry<String, JsonNode> kind : section.properties()) {
      String path = IDENTITIES + "." + kind.getKey();
      JsonNode list = kind.getValue();
      if (list.isNull()) {
        continue;
      }
      if (!list.isArray()) {
        throw new ConfigException(path, "expected a list of records (- field: value)");
      }
      List<String> records = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        if (!list.get(i).isObject()) {
          throw new ConfigException(path + "[" + i + "]", "expected a record (a mapping of fields)");
        }
        records.add(list.get(i).toString());
      }
      out = out.with(kind.getKey(), records);
    }
    return out;
  }

  private static void walk(String prefix, JsonNode section, Map<String, String> out) {
    for (Map.Entry<String, JsonNode> field : section.properties()) {
      String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      JsonNode value = field.getValue();
      ConfigKey<?> key = ConfigKeys.find(path);
      if (key != null) {
        if (key.type() == ValueType.LIST && value.isArray()) {
          List<String> items = new ArrayList<>();
          for (JsonNode item : value) {
            if (item.isContainerNode()) {
              throw new ConfigException(path, "a nested list or mapping (expected: " + key.type().expected() + ")");
            }
            items.add(item.asText());
          }
          out.put(path, String.join(",", items));
          continue;
        }
        if (value.isContainerNode()) {
          throw new ConfigException(path, (value.isObject() ? "a mapping" : "a list")
              + " (expected: " + key.type().expected() + ")");
        }
        if (key.type().verbatim() && !value.isTextual() && !value.isNull()) {
          // The value itself is not repeated: it may be a secret.
          throw new ConfigException(path, "a YAML " + (value.isBoolean() ? "boolean" : "number")
              + " (expected: " + key.type().expected() + "; put the value in quotes to keep it as written)");
        }
        out.put(path, value.isNull() ? null : value.asText());
      } else if (ConfigKeys.isSection(path)) {
        if (value.isObject()) {
          walk(path, value, out);
        } else if (!value.isNull()) { // "admin:" with every key commented out is an empty section
          // Not repeated either: "admin: <the token>" is an easy slip.
          throw new ConfigException(path, "a single value (expected: a section of keys such as "
              + path + "." + firstKeyUnder(path) + ")");
        }
      } else {
        throw ConfigKeys.unknown(path);
      }
    }
  }

  private static String firstKeyUnder(String section) {
    String prefix = section + ".";
    return ConfigKeys.all().stream()
        .map(ConfigKey::path)
        .filter(p -> p.startsWith(prefix))
        .map(p -> p.substring(prefix.length()).split("\\.")[0])
        .findFirst()
        .orElse("?");
  }

  private static String where(JsonLocation loc) {
    return loc == null || loc.getLineNr() < 1 ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
  }

  /**
   * What is wrong, without the quoted source line that parser messages carry (it may hold a secret). For a YAML
   * syntax error that is SnakeYAML's problem, plus the construct it was reading.
   */
  private static String problem(JsonProcessingException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException m && m.getProblem() != null) {
        String context = m.getContext() == null ? "" : " (" + m.getContext()
            + (m.getContextMark() == null ? "" : " started at line " + (m.getContextMark().getLine() + 1)) + ")";
        return m.getProblem() + context;
      }
    }
    String message = e.getOriginalMessage();
    if (message == null) {
      return "not valid YAML";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).trim();
  }
}
