/**
 * Streaming JSON scanning over frame bytes: chosen fields and exact byte spans, without a tree, a String of the
 * frame or a copy of it. Signatures are computed over the spans this package reports.
 */
package io.switchboard.codec.json;
