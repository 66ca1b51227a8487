package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.config.ConfigException;
import io.switchboard.server.testing.NotesDialect;
import io.switchboard.server.testing.TestBroker;
import io.switchboard.testkit.Http;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API's auth and the CRUD conventions every identity kind follows, on a test kind ({@code notes}). */
class AdminApiTest {
  private static final String TOKEN = "test-admin-token-0123456789";
  private static final String[] AUTH = {"Authorization", "Bearer " + TOKEN, "Content-Type", "application/json"};

  private static TestBroker.Builder broker() {
    return TestBroker.builder().withoutStandardDialects().dialect(new NotesDialect());
  }

  @Test
  void admin_whenNoTokenConfigured_thenEveryPathIs404() {
    try (TestBroker tb = broker().start()) {
      for (String path : List.of("/admin/v1/notes", "/admin/v1/notes/a", "/admin/v1/")) {
        HttpResponse<String> r = Http.get(tb.port(), path, AUTH);
        assertThat(r.statusCode()).as(path).isEqualTo(404);
        assertThat(r.body()).isEqualTo("{\"error\":\"not_found\"}");
      }
    }
  }

  @Test
  void admin_whenTokenMissingOrWrong_then401() {
    try (TestBroker tb = broker().config(c -> c.adminToken(TOKEN)).start()) {
      assertThat(Http.get(tb.port(), "/admin/v1/notes").statusCode()).isEqualTo(401);
      assertThat(Http.get(tb.port(), "/admin/v1/notes", "Authorization", "Bearer " + TOKEN + "x").statusCode())
          .isEqualTo(401);
      assertThat(Http.get(tb.port(), "/admin/v1/notes", "Authorization", "Basic " + TOKEN).statusCode())
          .isEqualTo(401);
      HttpResponse<String> ok = Http.get(tb.port(), "/admin/v1/notes", AUTH);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo("{\"items\":[]}");
    }
  }

  @Test
  void crud_followsTheConventions_andRedactsSecrets() {
    try (TestBroker tb = broker().config(c -> c.adminToken(TOKEN)).start()) {
      int p = tb.port();
      String note = "{\"id\":\"n1\",\"key\":\"secret-key-1\",\"label\":\"first\"}";
      HttpResponse<String> created = Http.post(p, "/admin/v1/notes", note, AUTH);
      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(created.body()).contains("\"key\":\"<redacted>\"").doesNotContain("secret-key-1");
      assertThat(Http.post(p, "/admin/v1/notes", note, AUTH).statusCode()).isEqualTo(409);

      HttpResponse<String> list = Http.get(p, "/admin/v1/notes", AUTH);
      assertThat(list.body()).isEqualTo("{\"items\":[{\"id\":\"n1\",\"key\":\"<redacted>\",\"label\":\"first\"}]}");
      assertThat(Http.get(p, "/admin/v1/notes/n1", AUTH).body()).contains("\"label\":\"first\"");
      assertThat(Http.get(p, "/admin/v1/notes/nope", AUTH).statusCode()).isEqualTo(404);

      HttpResponse<String> bad = Http.post(p, "/admin/v1/notes", "{\"id\":\"n2\",\"key\":\"short\"}", AUTH);
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("invalid_request").contains("key: at least 8 characters");
      assertThat(Http.post(p, "/admin/v1/notes", "{not json", AUTH).statusCode()).isEqualTo(400);
      assertThat(Http.put(p, "/admin/v1/notes/other", note, AUTH).statusCode()).isEqualTo(400);

      String replaced = "{\"id\":\"n1\",\"key\":\"secret-key-2\",\"label\":\"second\"}";
      assertThat(Http.put(p, "/admin/v1/notes/n1", replaced, AUTH).statusCode()).isEqualTo(200);
      assertThat(Http.get(p, "/admin/v1/notes/n1", AUTH).body()).contains("\"label\":\"second\"");
      assertThat(NotesDialect.KIND.idOf(tb.broker().context().identities().registry(NotesDialect.KIND).get("n1")))
          .isEqualTo("n1");
      assertThat(tb.broker().context().identities().registry(NotesDialect.KIND).get("n1").key())
          .isEqualTo("secret-key-2");
      assertThat(Http.put(p, "/admin/v1/notes/n3", "{\"id\":\"n3\",\"key\":\"secret-key-3\"}", AUTH).statusCode())
          .isEqualTo(201);

      assertThat(Http.delete(p, "/admin/v1/notes/n1", AUTH).statusCode()).isEqualTo(204);
      assertThat(Http.delete(p, "/admin/v1/notes/n1", AUTH).statusCode()).isEqualTo(404);
      assertThat(Http.get(p, "/admin/v1/unknown-kind", AUTH).statusCode()).isEqualTo(404);
      assertThat(Http.get(p, "/admin/v1/notes", AUTH).body()).contains("n3").doesNotContain("n1");
    }
  }

  @Test
  void registrations_persistAcrossRestart_andDeclaredOnesAreReappliedAtEachStart(@TempDir Path dir) {
    String declared = "{\"id\":\"from-config\",\"key\":\"declared-key\",\"label\":\"file\"}";
    try (TestBroker tb = broker().rocksDb(dir)
        .config(c -> c.adminToken(TOKEN).declare("notes", List.of(declared))).start()) {
      int p = tb.port();
      assertThat(Http.get(p, "/admin/v1/notes/from-config", AUTH).statusCode()).isEqualTo(200);
      assertThat(Http.post(p, "/admin/v1/notes", "{\"id\":\"api\",\"key\":\"api-key-123\"}", AUTH).statusCode())
          .isEqualTo(201);
      // Changed and removed through the API: the next start puts the declared record back.
      assertThat(Http.delete(p, "/admin/v1/notes/from-config", AUTH).statusCode()).isEqualTo(204);
    }
    try (TestBroker tb = broker().rocksDb(dir)
        .config(c -> c.adminToken(TOKEN).declare("notes", List.of(declared))).start()) {
      int p = tb.port();
      assertThat(Http.get(p, "/admin/v1/notes/api", AUTH).statusCode()).isEqualTo(200);
      assertThat(Http.get(p, "/admin/v1/notes/from-config", AUTH).body()).contains("\"label\":\"file\"");
    }
    // Without the declaration the API-made record is still there and the declared one is not re-created.
    try (TestBroker tb = broker().rocksDb(dir).config(c -> c.adminToken(TOKEN)).start()) {
      assertThat(Http.get(tb.port(), "/admin/v1/notes/api", AUTH).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void declared_whenRecordInvalidOrKindUnknown_thenStartFailsNamingIt() {
    assertThatThrownBy(() -> broker().config(c -> c.declare("notes", List.of("{\"id\":\"x\",\"key\":\"k\"}")))
        .start().close())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(ConfigException.class)
        .hasMessageContaining("identities.notes[0]").hasMessageContaining("key: at least 8 characters");
    assertThatThrownBy(() -> broker().config(c -> c.declare("bogus", List.of("{}"))).start().close())
        .cause().isInstanceOf(ConfigException.class)
        .hasMessageContaining("identities.bogus").hasMessageContaining("notes");
  }
}
