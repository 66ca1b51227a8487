/**
 * The client pieces the scenarios share: the open-loop sender and its HTTP transport, subscriptions over WebSocket
 * and SSE, and the send-time stamp embedded in messages and read back on delivery.
 */
package io.switchboard.bench.harness.client;
