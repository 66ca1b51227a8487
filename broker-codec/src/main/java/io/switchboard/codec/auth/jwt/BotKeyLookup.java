package io.switchboard.codec.auth.jwt;

/**
 * The caller's registry of bots, as the verifier needs it (bots.md §3.2 step 3). Typically reads an immutable
 * identities snapshot, so it is lock-free on an event loop.
 */
@FunctionalInterface
public interface BotKeyLookup {
  /** The keys of the bot with this {@code uid}, or {@code null} when no such bot is registered. */
  BotKeys keysOf(String uid);
}
