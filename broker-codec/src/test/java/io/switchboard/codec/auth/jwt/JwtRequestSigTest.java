package io.switchboard.codec.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The {@code sig} claim's digest (bots.md §3.2) against the contract's two examples, for every kind of body. */
class JwtRequestSigTest {
  static final String ACK_BODY = "[{\"message_id\":\"928c5c40-769c-3e97-8387-fb1ae0645311\",\"status\":\"READ\"}]";
  static final String ACK_SIG = "b8b126d65f8e2516d2b282cd9576852fb543a94bfe7809851f145f5ff68c92f6";

  /** Ways a request body can be held; each places it at a non-zero reader index. */
  enum Body {
    HEAP(text -> Unpooled.wrappedBuffer(("xx" + text).getBytes(StandardCharsets.UTF_8)).readerIndex(2)),
    HEAP_SLICE(text -> {
      byte[] b = ("0123456789" + text + "tail").getBytes(StandardCharsets.UTF_8);
      return Unpooled.wrappedBuffer(b, 7, b.length - 7 - 4).readerIndex(3);
    }),
    POOLED_DIRECT(text -> {
      ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer();
      b.writeCharSequence("abc", StandardCharsets.US_ASCII);
      b.readerIndex(3);
      b.writeCharSequence(text, StandardCharsets.UTF_8);
      return b;
    }),
    COMPOSITE(text -> {
      byte[] all = text.getBytes(StandardCharsets.UTF_8);
      int cut = all.length / 3;
      CompositeByteBuf c = Unpooled.compositeBuffer();
      c.addComponent(true, Unpooled.directBuffer().writeBytes(all, 0, cut));
      c.addComponent(true, Unpooled.wrappedBuffer(all, cut, all.length - cut));
      return c;
    });

    final Function<String, ByteBuf> make;

    Body(Function<String, ByteBuf> make) {
      this.make = make;
    }
  }

  @Test
  void upgrade_whenGetSlashEmptyBody_thenTheSpecsConstant() {
    assertThat(RequestSig.UPGRADE.hex()).isEqualTo(JwtFixtures.UPGRADE_SIG);
    assertThat(RequestSig.of("GET", "/", null).hex()).isEqualTo(JwtFixtures.UPGRADE_SIG);
    ByteBuf empty = Unpooled.buffer(0);
    try {
      assertThat(RequestSig.of("GET", "/", empty).hex()).isEqualTo(JwtFixtures.UPGRADE_SIG);
    } finally {
      empty.release();
    }
    assertThat(RequestSig.UPGRADE.matches(JwtFixtures.UPGRADE_SIG)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Body.class)
  void of_whenSpecAcknowledgementsExample_thenItsSigAndTheBufferUntouched(Body kind) {
    ByteBuf body = kind.make.apply(ACK_BODY);
    int reader = body.readerIndex();
    int writer = body.writerIndex();
    try {
      RequestSig sig = RequestSig.of("POST", "/acknowledgements", body);

      assertThat(sig.hex()).isEqualTo(ACK_SIG);
      assertThat(sig.matches(ACK_SIG)).isTrue();
      assertThat(body.readerIndex()).isEqualTo(reader);
      assertThat(body.writerIndex()).isEqualTo(writer);
      assertThat(body.refCnt()).isEqualTo(1);
    } finally {
      body.release();
    }
  }

  @Test
  void matches_whenUpperCaseShortLongOrOtherDigest_thenFalse() {
    RequestSig sig = sigOf("POST", "/acknowledgements", ACK_BODY);

    assertThat(sig.matches(ACK_SIG.toUpperCase())).isFalse();
    assertThat(sig.matches(ACK_SIG.substring(1))).isFalse();
    assertThat(sig.matches(ACK_SIG + "0")).isFalse();
    assertThat(sig.matches(JwtFixtures.UPGRADE_SIG)).isFalse();
    assertThat(sig.matches(null)).isFalse();
    assertThat(sigOf("POST", "/acknowledgements?x=1", ACK_BODY).matches(ACK_SIG)).as("query is part of URI").isFalse();
    assertThat(sigOf("post", "/acknowledgements", ACK_BODY).matches(ACK_SIG)).as("method as sent").isFalse();
  }

  @Test
  void of_whenLongUriAndLatin1Chars_thenOneBytePerCharAndRefusedAboveLatin1() {
    String uri = "/messages?q=" + "x".repeat(1000) + "\u00e9";
    byte[] expected = ("POST" + uri).getBytes(StandardCharsets.ISO_8859_1);
    ByteBuf all = Unpooled.wrappedBuffer(expected);
    try {
      assertThat(RequestSig.of("POST", uri, null).hex()).isEqualTo(RequestSig.of("", "", all).hex());
    } finally {
      all.release();
    }
    assertThatThrownBy(() -> RequestSig.of("GET", "/\u20ac", null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(RequestSig.UPGRADE.hex()).as("the digest recovers after a refusal").isEqualTo(JwtFixtures.UPGRADE_SIG);
  }

  /** The digest of a request whose body is {@code body}'s UTF-8 bytes (the buffer released again). */
  static RequestSig sigOf(String method, String uri, String body) {
    ByteBuf buf = Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8));
    try {
      return RequestSig.of(method, uri, buf);
    } finally {
      buf.release();
    }
  }
}
