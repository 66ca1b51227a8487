package io.switchboard.server.bots;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The hand-written id and category checks accept exactly what their patterns did (bots.md §5.2). */
class MessageInFieldsTest {
  @Test
  void uuidsInEitherCaseAreAccepted() {
    String id = UUID.randomUUID().toString();
    assertThat(Bot.isUuid(id)).isTrue();
    assertThat(Bot.isUuid(id.toUpperCase())).isTrue();
    assertThat(Bot.isUuid("00000000-0000-0000-0000-000000000000")).isTrue();
    assertThat(Bot.isUuid("ABCDEFab-cdef-0123-4567-89abcdefABCD")).isTrue();
  }

  @Test
  void anythingElseIsRefused() {
    assertThat(Bot.isUuid(null)).isFalse();
    assertThat(Bot.isUuid("")).isFalse();
    assertThat(Bot.isUuid("6d9e1234-a3b7-4c3d-9e0e-e86724a9123")).as("35 chars").isFalse();
    assertThat(Bot.isUuid("6d9e1234-a3b7-4c3d-9e0e-e86724a912345")).as("37 chars").isFalse();
    assertThat(Bot.isUuid("6d9e1234a-3b7-4c3d-9e0e-e86724a91234")).as("hyphen moved").isFalse();
    assertThat(Bot.isUuid("6d9e1234-a3b7-4c3d-9e0e+e86724a91234")).as("not a hyphen").isFalse();
    assertThat(Bot.isUuid("6d9e1234-a3b7-4c3d-9e0e-e86724a9123g")).as("not hex").isFalse();
    assertThat(Bot.isUuid("6d9e1234-a3b7-4c3d-9e0e-e86724a9123G")).as("not hex").isFalse();
    assertThat(Bot.isUuid("6d9e1234-a3b7-4c3d-9e0e-e86724a9123/")).as("below '0'").isFalse();
    assertThat(Bot.isUuid("6d9e1234-a3b7-4c3d-9e0e-e86724a9123:")).as("above '9'").isFalse();
    assertThat(Bot.isUuid("{d9e1234-a3b7-4c3d-9e0e-e86724a91234}")).isFalse();
  }

  @Test
  void categoriesAreUpperCaseLettersAndUnderscoresUpTo64() {
    assertThat(MessageIn.isCategory("PLAIN_TEXT")).isTrue();
    assertThat(MessageIn.isCategory("_")).isTrue();
    assertThat(MessageIn.isCategory("A".repeat(64))).isTrue();
    assertThat(MessageIn.isCategory("A".repeat(65))).isFalse();
    assertThat(MessageIn.isCategory("")).isFalse();
    assertThat(MessageIn.isCategory(null)).isFalse();
    assertThat(MessageIn.isCategory("plain_text")).isFalse();
    assertThat(MessageIn.isCategory("PLAIN TEXT")).isFalse();
    assertThat(MessageIn.isCategory("PLAIN-TEXT")).isFalse();
    assertThat(MessageIn.isCategory("PLAIN_TEXT1")).isFalse();
  }
}
