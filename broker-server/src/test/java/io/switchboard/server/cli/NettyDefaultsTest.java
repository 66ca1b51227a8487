package io.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NettyDefaultsTest {
  private String saved;

  @BeforeEach
  void save() {
    saved = System.getProperty(NettyDefaults.RECYCLER_CAPACITY);
  }

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty(NettyDefaults.RECYCLER_CAPACITY);
    } else {
      System.setProperty(NettyDefaults.RECYCLER_CAPACITY, saved);
    }
  }

  @Test
  void turnsTheObjectPoolsOff_whenTheOperatorLeftThemUnset() {
    System.clearProperty(NettyDefaults.RECYCLER_CAPACITY);
    NettyDefaults.apply();
    assertThat(System.getProperty(NettyDefaults.RECYCLER_CAPACITY)).isEqualTo("0");
  }

  @Test
  void keepsTheOperatorsValue() {
    System.setProperty(NettyDefaults.RECYCLER_CAPACITY, "4096");
    NettyDefaults.apply();
    assertThat(System.getProperty(NettyDefaults.RECYCLER_CAPACITY)).isEqualTo("4096");
  }
}
