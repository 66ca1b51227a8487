package io.switchboard.bench.load;

import io.switchboard.core.Switchboard;
import io.switchboard.core.config.BotsConfig;
import io.switchboard.core.config.BrokerConfig;
import io.switchboard.core.config.Durability;
import io.switchboard.core.config.StoreEngine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Bots ingest with durability {@code batch} (bots.md §5.2, §6): C sender bots, each on its own Blaze connection,
 * keep W gzip {@code CREATE_MESSAGE} frames in flight to one recipient; every success reply is an acknowledgement
 * that the message is durable (after the covering group-commit fsync). Prints acknowledged messages per second and
 * the ack latency percentiles (HdrHistogram, microseconds).
 *
 * <p>Closed loop (a window of W per connection), with blocking sockets: a first, simple figure. The open-loop
 * harness with its baselines (corrected for coordinated omission) is the bench issue's.
 *
 * <pre>java -cp broker-bench/target/benchmarks.jar io.switchboard.bench.load.BotsIngestLoad
 *     [--seconds 10] [--warmup 3] [--connections 4] [--window 128] [--durability batch]</pre>
 */
public final class BotsIngestLoad {
  private record TestBot(String uid, String sessionId, byte[] seed) {
    String publicHex() {
      return HexFormat.of().formatHex(new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded());
    }

    String json() {
      return "{\"uid\":\"" + uid + "\",\"sessionId\":\"" + sessionId + "\",\"sessionPublicKey\":\"" + publicHex()
          + "\"}";
    }

    String upgradeToken() throws Exception {
      long now = System.currentTimeMillis() / 1000;
      String sig = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest("GET/".getBytes(StandardCharsets.UTF_8)));
      String claims = "{\"uid\":\"" + uid + "\",\"sid\":\"" + sessionId + "\",\"iat\":" + now + ",\"exp\":"
          + (now + 3600) + ",\"jti\":\"" + UUID.randomUUID() + "\",\"sig\":\"" + sig + "\",\"scp\":\"FULL\"}";
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String input = b64.encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
          + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
      Ed25519Signer s = new Ed25519Signer();
      s.init(true, new Ed25519PrivateKeyParameters(seed, 0));
      byte[] in = input.getBytes(StandardCharsets.US_ASCII);
      s.update(in, 0, in.length);
      return input + "." + b64.encodeToString(s.generateSignature());
    }
  }

  private BotsIngestLoad() {}

  public static void main(String[] args) throws Exception {
    int seconds = intArg(args, "--seconds", 10);
    int warmup = intArg(args, "--warmup", 3);
    int connections = intArg(args, "--connections", 4);
    int window = intArg(args, "--window", 128);
    Durability durability = Durability.valueOf(stringArg(args, "--durability", "batch").toUpperCase());
    SecureRandom random = new SecureRandom();
    List<TestBot> senders = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      senders.add(new TestBot(UUID.randomUUID().toString(), UUID.randomUUID().toString(), seed));
    }
    byte[] rseed = new byte[32];
    random.nextBytes(rseed);
    TestBot recipient = new TestBot(UUID.randomUUID().toString(), UUID.randomUUID().toString(), rseed);
    List<String> declared = new ArrayList<>();
    senders.forEach(b -> declared.add(b.json()));
    declared.add(recipient.json());

    Path dir = Files.createTempDirectory("switchboard-bots-load");
    BrokerConfig.Builder cfg = BrokerConfig.builder().port(0).dataDir(dir).declare("bots", declared);
    cfg.server().host("127.0.0.1");
    cfg.store().engine(StoreEngine.ROCKSDB).durability(durability);
    cfg.bots(BotsConfig.builder().messagesPerMinute(Integer.MAX_VALUE).build());
    try (Switchboard broker = Switchboard.builder().config(cfg.build()).build()) {
      broker.start().join();
      int port = broker.activeLocalPort();
      Recorder recorder = new Recorder(3);
      AtomicLong acked = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      long stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup + seconds);
      for (TestBot sender : senders) {
        Socket s = connect(port, sender.upgradeToken());
        Semaphore inFlight = new Semaphore(window);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        String conv = contactId(sender.uid(), recipient.uid());
        threads.add(new Thread(() -> write(s, sender, recipient, conv, inFlight, sentAt, stopAt), "writer"));
        threads.add(new Thread(() -> read(s, inFlight, sentAt, recorder, acked, errors, stopAt), "reader"));
      }
      threads.forEach(Thread::start);
      Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
      recorder.reset();
      long ackedBefore = acked.get();
      long t0 = System.nanoTime();
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      Histogram h = recorder.getIntervalHistogram();
      long n = acked.get() - ackedBefore;
      double elapsed = (System.nanoTime() - t0) / 1e9;
      for (Thread t : threads) {
        t.join(10_000);
      }
      System.out.printf("bots ingest, durability %s, %d connections x window %d, %d s (after %d s warm-up)%n",
          durability.name().toLowerCase(), connections, window, seconds, warmup);
      System.out.printf("acknowledged-durable msgs/s: %.0f   errors: %d%n", n / elapsed, errors.get());
      System.out.printf("ack latency us: p50 %d  p99 %d  p99.9 %d  max %d  (n=%d)%n",
          h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(),
          h.getTotalCount());
    }
  }

  private static void write(Socket s, TestBot sender, TestBot recipient, String conv, Semaphore inFlight,
      Map<String, Long> sentAt, long stopAt) {
    try {
      OutputStream out = s.getOutputStream();
      SecureRandom mask = new SecureRandom();
      String data = Base64.getEncoder().encodeToString("hello from the load harness".getBytes(StandardCharsets.UTF_8));
      while (System.nanoTime() < stopAt) {
        if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        String id = UUID.randomUUID().toString();
        String json = "{\"id\":\"" + id + "\",\"action\":\"CREATE_MESSAGE\",\"params\":{\"conversation_id\":\"" + conv
            + "\",\"recipient_id\":\"" + recipient.uid() + "\",\"message_id\":\"" + UUID.randomUUID()
            + "\",\"category\":\"PLAIN_TEXT\",\"data\":\"" + data + "\"}}";
        byte[] payload = gzip(json);
        sentAt.put(id, System.nanoTime());
        writeFrame(out, payload, mask);
      }
    } catch (Exception e) {
      // socket closed at the end
    }
  }

  private static void read(Socket s, Semaphore inFlight, Map<String, Long> sentAt, Recorder recorder,
      AtomicLong acked, AtomicLong errors, long stopAt) {
    try {
      s.setSoTimeout(200);
      DataInputStream in = new DataInputStream(s.getInputStream());
      while (System.nanoTime() < stopAt + TimeUnit.SECONDS.toNanos(2)) {
        byte[] frame;
        try {
          frame = readFrame(in);
        } catch (java.net.SocketTimeoutException quiet) {
          if (System.nanoTime() > stopAt) {
            break;
          }
          continue;
        }
        if (frame == null) {
          continue;
        }
        String reply = gunzip(frame);
        int i = reply.indexOf("\"id\":\"") + 6;
        Long t = sentAt.remove(reply.substring(i, reply.indexOf('"', i)));
        if (t != null) {
          recorder.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
          if (reply.contains("\"error\"")) {
            errors.incrementAndGet();
          } else {
            acked.incrementAndGet();
          }
          inFlight.release();
        }
      }
      s.close();
    } catch (IOException e) {
      // closed
    }
  }

  private static Socket connect(int port, String token) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setTcpNoDelay(true);
    String req = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Protocol: Mixin-Blaze-1\r\nAuthorization: Bearer " + token + "\r\n\r\n";
    s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed during the handshake");
      }
      head.append((char) c);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + head);
    }
    return s;
  }

  private static void writeFrame(OutputStream out, byte[] payload, SecureRandom random) throws IOException {
    ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
    f.write(0x82);
    if (payload.length < 126) {
      f.write(0x80 | payload.length);
    } else {
      f.write(0x80 | 126);
      f.write(payload.length >>> 8);
      f.write(payload.length & 0xFF);
    }
    byte[] mask = new byte[4];
    random.nextBytes(mask);
    f.write(mask);
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ mask[i & 3]);
    }
    out.write(f.toByteArray());
  }

  /** The payload of the next binary frame, or null for a control frame. */
  private static byte[] readFrame(DataInputStream in) throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7F;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    byte[] p = new byte[(int) len];
    in.readFully(p);
    return (b0 & 0x0F) == 0x2 ? p : null;
  }

  private static byte[] gzip(String json) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(json.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static String gunzip(byte[] bytes) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The CONTACT conversation id of two bots (bots.md §5.8). */
  private static String contactId(String a, String b) throws Exception {
    String lo = a.compareTo(b) <= 0 ? a : b;
    String hi = lo.equals(a) ? b : a;
    byte[] sum = MessageDigest.getInstance("MD5").digest((lo + hi).getBytes(StandardCharsets.UTF_8));
    sum[6] = (byte) ((sum[6] & 0x0f) | 0x30);
    sum[8] = (byte) ((sum[8] & 0x3f) | 0x80);
    String h = HexFormat.of().formatHex(sum);
    return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-"
        + h.substring(20);
  }

  private static int intArg(String[] args, String name, int dflt) {
    String v = stringArg(args, name, null);
    return v == null ? dflt : Integer.parseInt(v);
  }

  private static String stringArg(String[] args, String name, String dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return dflt;
  }
}
