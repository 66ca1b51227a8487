package io.switchboard.bench.harness.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A minimal raw NATS client protocol on a Netty channel (the client runs on the harness's event loops, not on a
 * thread per connection): sends {@code CONNECT}, an optional {@code SUB}, then {@code PING}; the first {@code PONG}
 * means the server has processed them. Parses {@code INFO}, {@code +OK}, {@code -ERR}, {@code PING} (answered
 * {@code PONG}) and {@code MSG subject sid [reply] len} followed by the payload, which goes to {@code onMessage}
 * as a slice valid only during the call.
 */
public final class NatsProtocolHandler extends ByteToMessageDecoder {
  private static final int MAX_LINE = 64 * 1024;
  private final String subject;
  private final Consumer<ByteBuf> onMessage;
  private final Runnable onError;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private int payloadLength = -1;

  /**
   * @param subject subject to subscribe to, or {@code null} for a publish-only connection
   * @param onMessage receives each {@code MSG} payload
   * @param onError called for each {@code -ERR}
   */
  public NatsProtocolHandler(String subject, Consumer<ByteBuf> onMessage, Runnable onError) {
    this.subject = subject;
    this.onMessage = onMessage;
    this.onError = onError;
  }

  /** Completes at the first {@code PONG}: the server has applied {@code CONNECT} and {@code SUB}. */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    StringBuilder hello = new StringBuilder(
        "CONNECT {\"verbose\":false,\"pedantic\":false,\"echo\":false,\"name\":\"switchboard-bench\"}\r\n");
    if (subject != null) {
      hello.append("SUB ").append(subject).append(" 1\r\n");
    }
    hello.append("PING\r\n");
    ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(hello.toString().getBytes(StandardCharsets.US_ASCII)));
    super.channelActive(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (true) {
      if (payloadLength >= 0) {
        if (in.readableBytes() < payloadLength + 2) {
          return;
        }
        onMessage.accept(in.slice(in.readerIndex(), payloadLength));
        in.skipBytes(payloadLength + 2);
        payloadLength = -1;
        continue;
      }
      int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
      if (eol < 0) {
        if (in.readableBytes() > MAX_LINE) {
          throw new CorruptedFrameException("NATS protocol line longer than " + MAX_LINE);
        }
        return;
      }
      int start = in.readerIndex();
      byte b0 = in.getByte(start);
      if (b0 == 'M') {
        payloadLength = lastNumber(in, start, eol);
      } else if (b0 == 'P' && in.getByte(start + 1) == 'I') {
        ctx.writeAndFlush(ctx.alloc().buffer(6).writeBytes("PONG\r\n".getBytes(StandardCharsets.US_ASCII)));
      } else if (b0 == 'P' && in.getByte(start + 1) == 'O') {
        ready.complete(null);
      } else if (b0 == '-') {
        onError.run();
      }
      in.readerIndex(eol + 1);
    }
  }

  /** The last space-separated number on the line {@code [start, eol)}: the payload size of a {@code MSG}. */
  static int lastNumber(ByteBuf in, int start, int eol) {
    int end = eol;
    if (end > start && in.getByte(end - 1) == '\r') {
      end--;
    }
    int i = end;
    while (i > start && Character.isDigit(in.getByte(i - 1))) {
      i--;
    }
    if (i == end) {
      throw new CorruptedFrameException("MSG line without a size");
    }
    int n = 0;
    for (int j = i; j < end; j++) {
      n = n * 10 + (in.getByte(j) - '0');
    }
    return n;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ready.completeExceptionally(cause);
    onError.run();
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    ready.completeExceptionally(new IllegalStateException("NATS connection closed"));
    super.channelInactive(ctx);
  }
}
