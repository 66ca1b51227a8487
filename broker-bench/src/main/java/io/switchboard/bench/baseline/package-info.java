/**
 * The bare-Netty baselines of {@code scripts/bench}: each does a scenario's minimum work on the same transport and
 * event-loop count as the broker, runs in its own JVM, and is what switchboard's throughput ratios are taken
 * against.
 */
package io.switchboard.bench.baseline;
