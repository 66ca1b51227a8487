package io.switchboard.codec.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import org.junit.jupiter.api.Test;

class MacCacheTest {

  @Test
  void macFor_whenSameSecret_thenSameMacOnThisThreadOnly() throws Exception {
    Mac here = MacCache.current().macFor("secret-one-secret-one-secret-one-");
    assertThat(MacCache.current().macFor("secret-one-secret-one-secret-one-")).isSameAs(here);
    Mac there = CompletableFuture.supplyAsync(() -> MacCache.current().macFor("secret-one-secret-one-secret-one-"))
        .get();
    assertThat(there).isNotSameAs(here);
  }

  @Test
  void macFor_whenOverCapacity_thenLeastRecentlyUsedIsEvicted() {
    MacCache cache = new MacCache(2);
    Mac a = cache.macFor("a");
    cache.macFor("b");
    cache.macFor("a"); // a is now the most recent
    cache.macFor("c"); // evicts b
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.macFor("a")).isSameAs(a);
  }

  @Test
  void macFor_whenEmptySecret_thenRefused() {
    assertThatThrownBy(() -> new MacCache(2).macFor("")).isInstanceOf(IllegalArgumentException.class);
  }
}
