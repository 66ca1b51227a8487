package io.switchboard.server.cli;

/**
 * JVM-wide Netty settings the binary picks for its own process. They are read in Netty's static initialisers, so
 * {@link Main#main} applies them before anything loads a Netty class, and only where the operator left them unset
 * ({@code -D} on the command line wins). An embedding host owns its JVM: nothing here runs there.
 */
final class NettyDefaults {
  private NettyDefaults() {}

  /**
   * Netty's object pools ({@code Recycler}) off. The pools hand back the oldest returned object, cold in cache:
   * under the fan-out the first write to a pooled {@code ChannelOutboundBuffer} entry, one per delivery, was 11 %
   * of the loops' samples, and with the pools off the loops' CPU per delivery fell by about a fifth (PERFORMANCE.md).
   * Buffer memory stays pooled (the allocator's arenas); only the small wrapper objects become young garbage.
   */
  static final String RECYCLER_CAPACITY = "io.netty.recycler.maxCapacityPerThread";

  static void apply() {
    if (System.getProperty(RECYCLER_CAPACITY) == null) {
      System.setProperty(RECYCLER_CAPACITY, "0");
    }
  }
}
