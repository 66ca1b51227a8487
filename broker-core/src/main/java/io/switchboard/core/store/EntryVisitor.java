package io.switchboard.core.store;

/** Receives entries of a scan; return {@code false} to stop. The arrays belong to the visitor. */
@FunctionalInterface
public interface EntryVisitor {
  boolean visit(byte[] key, byte[] value);
}
