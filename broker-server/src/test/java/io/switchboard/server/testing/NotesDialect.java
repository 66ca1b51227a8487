package io.switchboard.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.identity.IdentityKind;
import io.switchboard.server.dialect.Dialect;
import io.switchboard.server.dialect.DialectContext;
import java.io.IOException;

/**
 * Test-only dialect serving one admin kind, {@code notes} ({@code id}, a secret {@code key}, a {@code label}), so the
 * admin conventions can be tested before the real kinds (apps, bots, sites) exist.
 */
public final class NotesDialect implements Dialect {
  public static final NoteKind KIND = new NoteKind();

  /** One note; validates itself like every identity record. */
  public record Note(String id, String key, String label) {
    public Note {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("id: required");
      }
      if (key == null || key.length() < 8) {
        throw new IllegalArgumentException("key: at least 8 characters");
      }
    }
  }

  @Override
  public String name() {
    return "notes";
  }

  @Override
  public void start(DialectContext context) {
    context.admin().register(KIND);
  }

  /** JSON conversion of notes; {@code key} is the secret. */
  public static final class NoteKind implements IdentityKind<Note> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
      return "notes";
    }

    @Override
    public String idOf(Note n) {
      return n.id();
    }

    @Override
    public byte[] encode(Note n) {
      ObjectNode o = JSON.createObjectNode().put("id", n.id()).put("key", n.key()).put("label", n.label());
      return o.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public Note decode(byte[] json) {
      JsonNode o;
      try {
        o = JSON.readTree(json);
      } catch (IOException e) {
        throw new IllegalArgumentException("not valid JSON");
      }
      if (o == null || !o.isObject()) {
        throw new IllegalArgumentException("expected a JSON object");
      }
      return new Note(text(o, "id"), text(o, "key"), text(o, "label"));
    }

    private static String text(JsonNode o, String field) {
      JsonNode v = o.get(field);
      return v == null || v.isNull() ? null : v.asText();
    }

    @Override
    public String toRedactedJson(Note n) {
      return JSON.createObjectNode().put("id", n.id()).put("key", "<redacted>").put("label", n.label()).toString();
    }
  }
}
