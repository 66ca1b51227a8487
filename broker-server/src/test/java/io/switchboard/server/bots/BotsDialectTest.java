package io.switchboard.server.bots;

import static io.switchboard.server.bots.BlazeFixture.A;
import static io.switchboard.server.bots.BlazeFixture.B;
import static io.switchboard.server.bots.BlazeFixture.createMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.config.BotsConfig;
import io.switchboard.server.bots.BlazeFixture.Blaze;
import io.switchboard.server.testing.TestBroker;
import io.switchboard.testkit.Http;
import io.switchboard.testkit.RawWebSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Blaze dialect end to end over real sockets (bots.md §2–§8), with a raw gzip/JWT client. */
class BotsDialectTest {

  private static TestBroker.Builder broker(BotsConfig.Builder bots) {
    return BlazeFixture.broker().config(c -> c.bots(bots.failureDelay(Duration.ofMillis(50)).build()));
  }

  @Test
  void contactIdOfAAndB_isTheSpecsExample() {
    assertThat(Conversations.contactId(A.uid(), B.uid())).isEqualTo(BlazeFixture.CONTACT);
    assertThat(Conversations.contactId(B.uid(), A.uid())).isEqualTo(BlazeFixture.CONTACT);
  }

  @Test
  void messageSentBeforeRecipientConnects_isPushedOnList_ackedWithStatusToSender_andGoneAfterRestart(
      @TempDir Path dir) throws Exception {
    String mid = UUID.randomUUID().toString();
    try (TestBroker tb = broker(BotsConfig.builder()).rocksDb(dir).start();
        Blaze a = Blaze.connect(tb.port(), A)) {
      a.send("{\"id\":\"l-a\",\"action\":\"LIST_PENDING_MESSAGES\"}");
      assertThat(a.next()).isEqualTo("{\"id\":\"l-a\",\"action\":\"LIST_PENDING_MESSAGES\"}");
      a.send(createMessage(mid, B.uid(), "Hello ?>").replaceFirst("\"id\":\"[^\"]+\"", "\"id\":\"c-1\""));
      assertThat(a.next()).isEqualTo("{\"id\":\"c-1\",\"action\":\"CREATE_MESSAGE\"}");

      try (Blaze b = Blaze.connect(tb.port(), B)) {
        b.send("{\"id\":\"l-b\",\"action\":\"LIST_PENDING_MESSAGES\",\"params\":{\"offset\":\"x\"}}");
        assertThat(b.next()).isEqualTo("{\"id\":\"l-b\",\"action\":\"LIST_PENDING_MESSAGES\"}");
        String push = b.next();
        assertThat(push).contains("\"action\":\"CREATE_MESSAGE\",\"data\":{\"type\":\"message\"")
            .contains("\"message_id\":\"" + mid + "\"").contains("\"user_id\":\"" + A.uid() + "\"")
            .contains("\"data\":\"SGVsbG8gPz4=\"").contains("\"data_base64\":\"SGVsbG8gPz4\"")
            .contains("\"source\":\"LIST_PENDING_MESSAGES\"").contains("\"conversation_id\":\"" + BlazeFixture.CONTACT);
        b.send("{\"id\":\"k-1\",\"action\":\"ACKNOWLEDGE_MESSAGE_RECEIPT\",\"params\":{\"message_id\":\"" + mid
            + "\",\"status\":\"READ\"}}");
        assertThat(b.next()).isEqualTo("{\"id\":\"k-1\",\"action\":\"ACKNOWLEDGE_MESSAGE_RECEIPT\"}");
        String status = a.next();
        assertThat(status).contains("\"action\":\"ACKNOWLEDGE_MESSAGE_RECEIPT\"").contains("\"status\":\"READ\"")
            .contains("\"user_id\":\"" + B.uid() + "\"").contains("\"message_id\":\"" + mid + "\"");
      }
    }
    try (TestBroker tb = broker(BotsConfig.builder()).rocksDb(dir).start();
        Blaze b = Blaze.connect(tb.port(), B)) {
      b.send("{\"id\":\"l-2\",\"action\":\"LIST_PENDING_MESSAGES\"}");
      assertThat(b.next()).isEqualTo("{\"id\":\"l-2\",\"action\":\"LIST_PENDING_MESSAGES\"}");
      b.ws.setReadTimeout(700);
      assertThatThrownBy(b.ws::readFrame).as("the acknowledged message is not delivered again")
          .isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void unacknowledgedMessage_isPushedAgainAfterTheVisibilityTimeout_andDuplicatesAreStoredOnce() throws Exception {
    try (TestBroker tb = broker(BotsConfig.builder().redeliveryAfter(Duration.ofMillis(400))).start();
        Blaze a = Blaze.connect(tb.port(), A);
        Blaze b = Blaze.connect(tb.port(), B)) {
      b.send("{\"id\":\"l\",\"action\":\"LIST_PENDING_MESSAGES\"}");
      b.next();
      String mid = UUID.randomUUID().toString();
      a.send(createMessage(mid, B.uid(), "once"));
      a.next();
      a.send(createMessage(mid, B.uid(), "once")); // same message_id: success, nothing stored again
      assertThat(a.next()).doesNotContain("error");
      // Live, or from the LIST scan if that was still running on B's loop when the message was stored (§5.1 sends
      // the LIST reply before the scan): either way exactly once here.
      String first = b.next();
      assertThat(first).contains(mid);
      long t0 = System.nanoTime();
      String again = b.next();
      long waited = (System.nanoTime() - t0) / 1_000_000;
      assertThat(again).contains(mid).contains("\"source\":\"CREATE_MESSAGE\"");
      assertThat(waited).as("redelivered after the visibility timeout, not as a duplicate").isGreaterThan(200);
      assertThat(tb.counter("switchboard.bots.pushed")).isEqualTo(2);
    }
  }

  @Test
  void overQuota_gets429_andIsNotStored() throws Exception {
    try (TestBroker tb = broker(BotsConfig.builder().messagesPerMinute(3)).start();
        Blaze a = Blaze.connect(tb.port(), A)) {
      for (int i = 0; i < 3; i++) {
        a.send(createMessage(UUID.randomUUID().toString(), B.uid(), "m" + i));
        assertThat(a.next()).doesNotContain("error");
      }
      String over = UUID.randomUUID().toString();
      a.send(createMessage(over, B.uid(), "too many"));
      assertThat(a.next()).contains("\"error\":{\"status\":202,\"code\":429,\"description\":\"Too Many Requests.\"}");
      assertThat(tb.counter("switchboard.rejected", "dialect", "bots", "reason", "quota_exceeded")).isEqualTo(1);
      assertThat(tb.broker().store().get(BotsService.msgKey(over))).isNull();
    }
  }

  @Test
  void aSendersFirstMessage_loadsItsQuotaWindowOffTheEventLoop_andTheQuotaStaysExact() throws Exception {
    io.switchboard.server.testing.FaultyStore[] store = new io.switchboard.server.testing.FaultyStore[1];
    try (TestBroker tb = broker(BotsConfig.builder().messagesPerMinute(3))
            .wrapStore(s -> store[0] = new io.switchboard.server.testing.FaultyStore(s)).start();
        Blaze a = Blaze.connect(tb.port(), A)) {
      store[0].watchScans(io.switchboard.server.testing.FaultyStore.onEventLoop(tb.broker()), "quota", "bots", "");
      for (int i = 0; i < 3; i++) {
        a.send(createMessage(UUID.randomUUID().toString(), B.uid(), "m" + i));
      }
      for (int i = 0; i < 3; i++) {
        assertThat(a.next()).doesNotContain("error");
      }
      a.send(createMessage(UUID.randomUUID().toString(), B.uid(), "too many"));
      assertThat(a.next()).contains("\"code\":429");
      assertThat(store[0].prefixScans()).as("A's window was loaded once").isEqualTo(1);
      assertThat(store[0].watchedScans()).as("not on an event loop").isZero();
    }
  }

  @Test
  void pendingMessagesPastTheRetention_areRemovedAndCountedAsExpired_acknowledgedOnesAreNot() throws Exception {
    io.switchboard.testkit.MutableClock clock = io.switchboard.testkit.MutableClock.atNow();
    try (TestBroker tb = broker(BotsConfig.builder()).clock(clock)
            .config(c -> c.store().expirySweepInterval(Duration.ofMillis(20))).start();
        Blaze a = Blaze.connect(tb.port(), A);
        Blaze b = Blaze.connect(tb.port(), B)) {
      String acked = UUID.randomUUID().toString();
      String forgotten = UUID.randomUUID().toString();
      a.send(createMessage(acked, B.uid(), "read"));
      assertThat(a.next()).doesNotContain("error");
      a.send(createMessage(forgotten, B.uid(), "never read"));
      assertThat(a.next()).doesNotContain("error");
      b.send("{\"id\":\"k-1\",\"action\":\"ACKNOWLEDGE_MESSAGE_RECEIPT\",\"params\":{\"message_id\":\"" + acked
          + "\",\"status\":\"READ\"}}");
      assertThat(b.next()).isEqualTo("{\"id\":\"k-1\",\"action\":\"ACKNOWLEDGE_MESSAGE_RECEIPT\"}");
      assertThat(tb.counter("switchboard.bots.expired")).isZero();

      clock.advance(Duration.ofDays(7).minusSeconds(1));
      assertThat(tb.broker().store().get(BotsService.pidxKey(B.uid(), forgotten))).as("still pending").isNotNull();
      clock.advance(Duration.ofSeconds(2));
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
          .until(() -> tb.counter("switchboard.bots.expired") > 0);
      assertThat(tb.counter("switchboard.bots.expired")).as("one pending entry: B's copy of the unread message")
          .isEqualTo(1);
      assertThat(tb.broker().store().get(BotsService.pidxKey(B.uid(), forgotten))).isNull();
      String metrics = Http.get(tb.port(), "/metrics").body();
      assertThat(metrics).contains("switchboard_bots_expired_total 1.0");
    }
  }

  @Test
  void framesThatAreNotGzipBinary_getErrorThenClose() throws Exception {
    try (TestBroker tb = broker(BotsConfig.builder()).start()) {
      try (Blaze a = Blaze.connect(tb.port(), A)) {
        a.ws.sendText("{\"id\":\"x\",\"action\":\"LIST_PENDING_MESSAGES\"}");
        assertThat(a.next()).contains("\"action\":\"ERROR\"").contains("\"code\":400");
        RawWebSocket.Frame close = a.ws.readDataOrClose();
        assertThat(close.closeCode()).isEqualTo(1003);
      }
      try (Blaze a = Blaze.connect(tb.port(), A)) {
        a.ws.sendFrame(RawWebSocket.BINARY, true, "not gzip".getBytes());
        assertThat(a.next()).contains("\"action\":\"ERROR\"");
        assertThat(a.ws.readDataOrClose().closeCode()).isEqualTo(1007);
      }
      try (Blaze a = Blaze.connect(tb.port(), A)) {
        a.send("[1,2]");
        assertThat(a.next()).contains("\"code\":400");
        a.send("{\"id\":\"u\",\"action\":\"COUNT_SIGNAL_KEYS\"}");
        assertThat(a.next()).isEqualTo(
            "{\"id\":\"u\",\"action\":\"COUNT_SIGNAL_KEYS\",\"error\":{\"status\":202,\"code\":400,"
                + "\"description\":\"Unsupported action.\"}}");
      }
    }
  }

  @Test
  void upgrade_echoesTheSubprotocol_andRefusesBadTokensAfterTheDelay() throws Exception {
    try (TestBroker tb = broker(BotsConfig.builder()).start()) {
      RawWebSocket ok = Blaze.raw(tb.port(), "/blaze", B, "MixinBot-Blaze-1");
      assertThat(ok.status()).isEqualTo(101);
      assertThat(ok.header("sec-websocket-protocol")).isEqualTo("MixinBot-Blaze-1");
      ok.close();
      RawWebSocket none = Blaze.raw(tb.port(), "/blaze", B, null);
      assertThat(none.status()).isEqualTo(400);
      assertThat(none.body()).contains("Missing subprotocol Mixin-Blaze-1.");
      none.close();
      long t0 = System.nanoTime();
      RawWebSocket bad = RawWebSocket.connect("127.0.0.1", tb.port(), "/", java.util.Map.of(
          "Sec-WebSocket-Protocol", "Mixin-Blaze-1", "Authorization", "Bearer " + A.token("GET", "/x", "")));
      assertThat(bad.status()).isEqualTo(401);
      assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(50);
      assertThat(tb.counter("switchboard.rejected", "dialect", "bots", "reason", "sig_mismatch")).isEqualTo(1);
      bad.close();
    }
  }

  @Test
  void rest_messagesAndAcknowledgements_withTheSameJwtScheme() throws Exception {
    try (TestBroker tb = broker(BotsConfig.builder()).start();
        Blaze b = Blaze.connect(tb.port(), B)) {
      b.send("{\"id\":\"l\",\"action\":\"LIST_PENDING_MESSAGES\"}");
      b.next();
      String mid = UUID.randomUUID().toString();
      String body = "[{\"conversation_id\":\"" + BlazeFixture.CONTACT + "\",\"recipient_id\":\"" + B.uid()
          + "\",\"message_id\":\"" + mid + "\",\"category\":\"PLAIN_TEXT\",\"data\":\"SGVsbG8h\"}]";
      var r = Http.post(tb.port(), "/messages", body, "Authorization", "Bearer " + A.token("POST", "/messages", body),
          "X-Request-Id", "req-1");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{}");
      assertThat(r.headers().firstValue("x-request-id")).hasValue("req-1");
      assertThat(b.next()).contains(mid).contains("\"data\":\"SGVsbG8h\"");

      String ack = "[{\"message_id\":\"" + mid + "\",\"status\":\"READ\"}]";
      var k = Http.post(tb.port(), "/acknowledgements", ack, "Authorization",
          "Bearer " + B.token("POST", "/acknowledgements", ack));
      assertThat(k.body()).isEqualTo("{\"data\":" + ack + "}");
      var unauthorized = Http.post(tb.port(), "/messages", body, "Authorization",
          "Bearer " + A.token("POST", "/messages", body + " "));
      assertThat(unauthorized.statusCode()).isEqualTo(202);
      assertThat(unauthorized.body()).isEqualTo("{\"error\":{\"status\":202,\"code\":401,\"description\":\"Unauthorized.\"}}");
    }
  }

  @Test
  void unackedMessage_isPushedAgainAfterAReconnect() throws Exception {
    try (TestBroker tb = broker(BotsConfig.builder()).start();
        Blaze a = Blaze.connect(tb.port(), A)) {
      String mid = UUID.randomUUID().toString();
      a.send(createMessage(mid, B.uid(), "again"));
      assertThat(a.next()).doesNotContain("error");
      for (int round = 0; round < 2; round++) {
        try (Blaze b = Blaze.connect(tb.port(), B)) {
          b.send("{\"id\":\"l\",\"action\":\"LIST_PENDING_MESSAGES\"}");
          b.next();
          assertThat(b.next()).as("round " + round).contains(mid).contains("\"source\":\"LIST_PENDING_MESSAGES\"");
        } // closed without acknowledging
      }
    }
  }

  @Test
  void connectionsBeyondTheLimit_closeTheOldestWith4009() throws Exception {
    try (TestBroker tb = broker(BotsConfig.builder().maxConnectionsPerBot(2)).start();
        Blaze first = Blaze.connect(tb.port(), B);
        Blaze second = Blaze.connect(tb.port(), B);
        Blaze third = Blaze.connect(tb.port(), B)) {
      RawWebSocket.Frame close = first.ws.readDataOrClose();
      assertThat(close.closeCode()).isEqualTo(4009);
      assertThat(close.closeReason()).isEqualTo("replaced by a newer connection");
      second.send("{\"id\":\"l\",\"action\":\"LIST_PENDING_MESSAGES\"}");
      assertThat(second.next()).contains("LIST_PENDING_MESSAGES");
      third.send("{\"id\":\"l\",\"action\":\"LIST_PENDING_MESSAGES\"}");
      assertThat(third.next()).contains("LIST_PENDING_MESSAGES");
    }
  }

  @Test
  void unackedMessageOnAClosedConnection_isRedeliveredToAnotherSubscribedConnection() throws Exception {
    try (TestBroker tb = broker(BotsConfig.builder().redeliveryAfter(Duration.ofMillis(500))).start();
        Blaze a = Blaze.connect(tb.port(), A);
        Blaze b1 = Blaze.connect(tb.port(), B);
        Blaze b2 = Blaze.connect(tb.port(), B)) {
      for (Blaze b : new Blaze[] {b1, b2}) {
        b.send("{\"id\":\"l\",\"action\":\"LIST_PENDING_MESSAGES\"}");
        b.next();
      }
      String mid = UUID.randomUUID().toString();
      a.send(createMessage(mid, B.uid(), "handed over"));
      a.next();
      // Exactly one of B's connections gets the live push (competing consumers); find it and close it unacked.
      Blaze got = null;
      Blaze other = null;
      for (Blaze[] pair : new Blaze[][] {{b1, b2}, {b2, b1}}) {
        pair[0].ws.setReadTimeout(1500);
        try {
          if (pair[0].next().contains(mid)) {
            got = pair[0];
            other = pair[1];
            break;
          }
        } catch (SocketTimeoutException none) {
          // not this one
        }
      }
      assertThat(got).as("one connection got the live push").isNotNull();
      got.close();
      other.ws.setReadTimeout(5000);
      assertThat(other.next()).contains(mid).contains("\"source\":\"CREATE_MESSAGE\"");
    }
  }
}
