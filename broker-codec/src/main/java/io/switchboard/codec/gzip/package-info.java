/**
 * Single-member gzip (RFC 1952) for the bots dialect's binary frames: {@link io.switchboard.codec.gzip.GzipInflater}
 * inflates one frame into a pooled buffer under a hard size cap, {@link io.switchboard.codec.gzip.GzipDeflater}
 * compresses an outbound frame. Both work on {@code ByteBuf}s in place (heap or direct) and reuse one zlib stream.
 */
package io.switchboard.codec.gzip;
