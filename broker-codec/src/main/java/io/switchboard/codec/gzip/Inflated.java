package io.switchboard.codec.gzip;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * What {@link GzipInflater#inflate} answers: the status and, for {@link InflateStatus#OK} only, the inflated bytes.
 * The caller owns {@code content} and releases it exactly once. Failures are shared constants, so refusing a frame
 * allocates nothing.
 */
public record Inflated(InflateStatus status, ByteBuf content) {
  static final Inflated NOT_GZIP = new Inflated(InflateStatus.NOT_GZIP, null);
  static final Inflated TOO_LARGE = new Inflated(InflateStatus.INFLATED_TOO_LARGE, null);

  public Inflated {
    Objects.requireNonNull(status, "status");
    if ((status == InflateStatus.OK) != (content != null)) {
      throw new IllegalArgumentException("content is present exactly when the status is OK");
    }
  }

  static Inflated ok(ByteBuf content) {
    return new Inflated(InflateStatus.OK, content);
  }

  public boolean ok() {
    return status == InflateStatus.OK;
  }
}
