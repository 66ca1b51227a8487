/**
 * The {@code bots} scenario: M bots on Blaze connections (EdDSA JWT at the upgrade) send gzip
 * {@code CREATE_MESSAGE} frames at an open-loop rate; each is timed from its slot to its acknowledgement, which
 * under durability {@code batch} means the message is on disk.
 */
package io.switchboard.bench.harness.bots;
