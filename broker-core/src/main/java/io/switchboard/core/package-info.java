/** Broker core: streams, fan-out, store, identities, lifecycle and the embedding API. Knows no HTTP routes. */
package io.switchboard.core;
