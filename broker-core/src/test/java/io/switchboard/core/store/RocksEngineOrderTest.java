package io.switchboard.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link RocksEngine} hands RocksDB for a round: key order per run, superseded writes dropped. */
class RocksEngineOrderTest {

  @Test
  void sortsByKey_andKeepsOnlyTheLastWriteOfEachKey() {
    RawWrite[] out = RocksEngine.inKeyOrder(List.of(put("state/d1", "1"), put("replay/x", ""), put("state/d2", "1"),
        put("state/d1", "2"), del("replay/x"), put("feed/1", "a"), put("state/d1", "3")));

    assertThat(describe(out)).containsExactly("feed/1=a", "replay/x deleted", "state/d1=3", "state/d2=1");
  }

  @Test
  void aRangeDeleteSeparatesRuns_soAWriteBeforeItIsNotMergedWithOneAfterIt() {
    RawWrite[] out = RocksEngine.inKeyOrder(List.of(put("log/5", "old"), put("log/2", "x"), put("log/5", "older?"),
        RawWrite.deleteRange(utf8("log/0"), utf8("log/6")), put("log/5", "new"), put("log/1", "y")));

    assertThat(describe(out)).as("each run sorted and deduplicated alone; the range stays between them")
        .containsExactly("log/2=x", "log/5=older?", "[log/0, log/6) deleted", "log/1=y", "log/5=new");
  }

  @Test
  void nothingSuperseded_returnsEveryWrite() {
    RawWrite[] out = RocksEngine.inKeyOrder(List.of(put("b", "1"), put("a", "1"), put("c", "1")));
    assertThat(describe(out)).containsExactly("a=1", "b=1", "c=1");
  }

  private static RawWrite put(String k, String v) {
    return RawWrite.put(utf8(k), utf8(v));
  }

  private static RawWrite del(String k) {
    return RawWrite.delete(utf8(k));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> describe(RawWrite[] writes) {
    return Arrays.stream(writes).map(w -> {
      String k = new String(w.key(), StandardCharsets.UTF_8);
      if (w.isRangeDelete()) {
        return "[" + k + ", " + new String(w.rangeEnd(), StandardCharsets.UTF_8) + ") deleted";
      }
      return w.isDelete() ? k + " deleted" : k + "=" + new String(w.value(), StandardCharsets.UTF_8);
    }).toList();
  }
}
