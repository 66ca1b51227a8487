/**
 * The {@code idle} scenario: many authenticated, idle device connections, and what each costs the server in heap
 * (after a full GC) and in resident memory.
 */
package io.switchboard.bench.harness.idle;
