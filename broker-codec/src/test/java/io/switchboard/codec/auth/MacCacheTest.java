package io.switchboard.codec.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MacCacheTest {

  @Test
  void keyFor_whenSameSecret_thenSameKeyOnThisThreadOnly() throws Exception {
    HmacKey here = MacCache.current().keyFor("secret-one-secret-one-secret-one-");
    assertThat(MacCache.current().keyFor("secret-one-secret-one-secret-one-")).isSameAs(here);
    HmacKey there = CompletableFuture.supplyAsync(() -> MacCache.current().keyFor("secret-one-secret-one-secret-one-"))
        .get();
    assertThat(there).isNotSameAs(here);
  }

  @Test
  void keyFor_whenOverCapacity_thenLeastRecentlyUsedIsEvicted() {
    MacCache cache = new MacCache(2);
    HmacKey a = cache.keyFor("a");
    cache.keyFor("b");
    cache.keyFor("a"); // a is now the most recent
    cache.keyFor("c"); // evicts b
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.keyFor("a")).isSameAs(a);
  }

  @Test
  void keyFor_whenEmptySecret_thenRefused() {
    assertThatThrownBy(() -> new MacCache(2).keyFor("")).isInstanceOf(IllegalArgumentException.class);
  }
}
