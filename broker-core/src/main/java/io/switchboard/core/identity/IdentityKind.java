package io.switchboard.core.identity;

/**
 * A kind of identity the broker keeps (apps, bots, sites, widget keys): how to name, validate, store and show its
 * records. Records are immutable; they validate themselves when built, so a kind only converts.
 *
 * @param <T> the record type
 */
public interface IdentityKind<T> {

  /** The plural name used in paths and keys, for example {@code apps}. */
  String name();

  /** The record's id, unique within the kind, for example an app's {@code appKey}. */
  String idOf(T record);

  /** The record as stored (JSON, secrets included). */
  byte[] encode(T record);

  /**
   * Parses a stored or submitted record.
   *
   * @throws IllegalArgumentException with a message naming the bad field
   */
  T decode(byte[] json);

  /** The record as shown by the admin API: JSON with every secret replaced by {@code "<redacted>"}. */
  String toRedactedJson(T record);
}
