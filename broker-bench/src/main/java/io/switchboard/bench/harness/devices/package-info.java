/**
 * The {@code devices} scenario: N device WebSocket connections that sign what they send (HMAC-SHA256 over the
 * payload, devices.md §3) and answer the broker's requests; either signed events in (accepted events timed to
 * their arrival on the app's event feed) or Caller API round trips through the devices (timed to the HTTP answer,
 * deadline misses counted).
 */
package io.switchboard.bench.harness.devices;
