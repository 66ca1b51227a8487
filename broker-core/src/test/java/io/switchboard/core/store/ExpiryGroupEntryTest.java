package io.switchboard.core.store;

import static io.switchboard.core.store.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The group form of the expiry index ({@link ReservedKeys}): layout, round trip, and a damaged value refused. */
class ExpiryGroupEntryTest {
  @Test
  void groupEntry_sortsWithItsExpiry_andRoundTripsItsMembers() {
    List<byte[]> keys = List.of(utf8("bots/msg/1"), utf8("bots/pend/x/1"), new byte[] {1, (byte) 0xFF, 0});
    byte[] key = ReservedKeys.groupIndex(1_700_000_000_000L, keys.get(0));

    assertThat(ReservedKeys.isGroup(key)).isTrue();
    assertThat(ReservedKeys.isGroup(ReservedKeys.expiryIndex(1L, keys.get(0)))).isFalse();
    assertThat(ReservedKeys.expiryOf(key)).isEqualTo(1_700_000_000_000L);
    assertThat(Arrays.compareUnsigned(key, ReservedKeys.indexEnd(ReservedKeys.GROUP_PREFIX, 1_699_999_999_999L)))
        .as("not due a millisecond early").isPositive();
    assertThat(Arrays.compareUnsigned(key, ReservedKeys.indexEnd(ReservedKeys.GROUP_PREFIX, 1_700_000_000_000L)))
        .as("due at its expiry").isNegative();
    assertThat(ReservedKeys.groupMembers(key, ReservedKeys.groupValue(keys)))
        .containsExactly(keys.get(0), keys.get(1), keys.get(2));
  }

  @Test
  void aSweepPassIsBoundedByKeys_countingEveryMemberOfAGroup() {
    MemoryEngine engine = new MemoryEngine();
    java.time.Instant at = java.time.Instant.ofEpochMilli(1_000);
    List<RawWrite> writes = new java.util.ArrayList<>();
    for (String group : List.of("a", "b", "c")) { // three rounds' groups of 6,000 keys, all due
      List<byte[]> members = new java.util.ArrayList<>();
      for (int i = 0; i < 6_000; i++) {
        byte[] key = utf8(group + "/" + i);
        members.add(key);
        writes.add(RawWrite.put(key, Envelope.wrap(new byte[0], at)));
      }
      writes.add(RawWrite.put(ReservedKeys.groupIndex(at.toEpochMilli(), members.get(0)),
          ReservedKeys.groupValue(members)));
    }
    engine.apply(writes, false, false);
    ExpirySweeper sweeper = new ExpirySweeper(engine);

    assertThat(sweeper.sweep(1_000, false)).as("two groups: the one crossing the bound is handled whole")
        .isEqualTo(new ExpirySweeper.Pass(12_000, true));
    assertThat(sweeper.sweep(1_000, false)).isEqualTo(new ExpirySweeper.Pass(6_000, false));
    assertThat(engine.get(utf8("c/5999"))).isNull();
    assertThat(sweeper.sweep(1_000, false)).isEqualTo(new ExpirySweeper.Pass(0, false));
  }

  @Test
  void damagedValue_isRefusedNamingTheEntry() {
    byte[] key = ReservedKeys.groupIndex(5, utf8("a"));
    byte[] value = ReservedKeys.groupValue(List.of(utf8("a"), utf8("bb")));
    byte[] cut = Arrays.copyOf(value, value.length - 1);
    assertThatThrownBy(() -> ReservedKeys.groupMembers(key, cut))
        .isInstanceOf(StoreException.class).hasMessageContaining("corrupt expiry group entry");
    assertThatThrownBy(() -> ReservedKeys.groupMembers(key, new byte[] {0, 0}))
        .isInstanceOf(StoreException.class).hasMessageContaining("bad member length");
  }
}
