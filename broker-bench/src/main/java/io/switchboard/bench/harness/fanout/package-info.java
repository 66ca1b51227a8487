/**
 * The {@code fanout} scenario: P publishers per stream post broadcasts over keep-alive HTTP (switchboard's widgets
 * dialect and the baseline) or PUB to a subject (NATS), S subscribers per stream receive them over WebSocket, SSE or
 * NATS SUB, and each delivery's latency runs from the publish slot's intended time embedded in the message.
 */
package io.switchboard.bench.harness.fanout;
