package io.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.junit.jupiter.api.Test;

/** {@link Json#quote}'s no-escape shortcut gives exactly what Jackson's quoting gives, for every BMP char. */
class JsonQuoteTest {
  private static String jackson(String s) {
    StringBuilder sb = new StringBuilder().append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, sb);
    return sb.append('"').toString();
  }

  @Test
  void everyCharQuotesAsJacksonQuotesIt() {
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      String s = "id-" + c + "-x";
      assertThat(Json.quote(s)).as("U+%04X", (int) c).isEqualTo(jackson(s));
    }
  }

  @Test
  void plainAndEscapedStrings() {
    assertThat(Json.quote("")).isEqualTo("\"\"");
    assertThat(Json.quote("setPowerState")).isEqualTo("\"setPowerState\"");
    assertThat(Json.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    assertThat(Json.quote("\uD83D\uDE00 é")).isEqualTo(jackson("\uD83D\uDE00 é"));
  }
}
