package io.switchboard.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link Keys#of} builds exactly the UTF-8 of the parts joined with '/', ASCII or not. */
class KeysTest {
  private static byte[] joined(String... parts) {
    return String.join("/", parts).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void asciiPartsAreJoinedWithSlashes() {
    String[][] cases = {
        {"dev", "state", "5dc1564130aabbccddeeff00", "setPowerState", ""},
        {"bots", "msg", "6d9e1234-a3b7-4c3d-9e0e-e86724a91234"},
        {"one"},
        {"", ""},
        {},
        {"a", null, "b"},
    };
    for (String[] parts : cases) {
      assertThat(Keys.of(parts)).as(String.join("|", String.valueOf(parts.length))).isEqualTo(joined(parts));
    }
  }

  @Test
  void nonAsciiPartsAreUtf8() {
    assertThat(Keys.of("rooms", "café", "\uD83D\uDE00")).isEqualTo(joined("rooms", "café", "\uD83D\uDE00"));
    assertThat(Keys.of("x", "\u0080")).isEqualTo(joined("x", "\u0080"));
    assertThat(Keys.of("\u00ff", "y")).isEqualTo(joined("\u00ff", "y"));
  }
}
