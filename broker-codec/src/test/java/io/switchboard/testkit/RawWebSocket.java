package io.switchboard.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately small blocking WebSocket client for tests: it does the HTTP upgrade by hand and reads and writes
 * raw frames, so tests can send what real clients never would (bad close codes, invalid UTF-8, oversized frames)
 * and can stop reading to play a slow consumer.
 */
public final class RawWebSocket implements AutoCloseable {
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final SecureRandom random = new SecureRandom();
  private final int status;
  private final Map<String, String> headers;
  private final String body;

  /** A received frame; {@code rsv} holds the RSV1-3 bits (4: RSV1, a permessage-deflate compressed message). */
  public record Frame(int opcode, boolean fin, byte[] payload, int rsv) {
    public Frame(int opcode, boolean fin, byte[] payload) {
      this(opcode, fin, payload, 0);
    }

    /** RSV1: the first frame of a permessage-deflate compressed message. */
    public boolean compressed() {
      return (rsv & 4) != 0;
    }

    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** For close frames: the status code, or -1 without body. */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
    }

    public String closeReason() {
      return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
    }
  }

  private RawWebSocket(Socket socket, int status, Map<String, String> headers, String body) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  /** Connects and sends the upgrade for {@code path} with extra {@code headers}; see {@link #status()}. */
  public static RawWebSocket connect(String host, int port, String path, Map<String, String> extraHeaders)
      throws IOException {
    return connect(new InetSocketAddress(host, port), null, path, extraHeaders);
  }

  /** As {@link #connect(String, int, String, Map)}, binding the client side to {@code localAddress} first. */
  public static RawWebSocket connect(InetSocketAddress server, java.net.InetAddress localAddress, String path,
      Map<String, String> extraHeaders) throws IOException {
    Socket s = new Socket();
    if (localAddress != null) {
      s.bind(new InetSocketAddress(localAddress, 0));
    }
    s.connect(server, 5_000);
    s.setSoTimeout(10_000);
    s.setTcpNoDelay(true);
    byte[] nonce = new byte[16];
    new SecureRandom().nextBytes(nonce);
    StringBuilder req = new StringBuilder()
        .append("GET ").append(path).append(" HTTP/1.1\r\n")
        .append("Host: ").append(server.getHostString()).append(':').append(server.getPort()).append("\r\n")
        .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
        .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n")
        .append("Sec-WebSocket-Version: 13\r\n");
    if (extraHeaders != null) {
      extraHeaders.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    }
    req.append("\r\n");
    s.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    InputStream is = s.getInputStream();
    String statusLine = readLine(is);
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    String line;
    while (!(line = readLine(is)).isEmpty()) {
      int c = line.indexOf(':');
      headers.put(line.substring(0, c).trim().toLowerCase(Locale.ROOT), line.substring(c + 1).trim());
    }
    String body = "";
    if (status != 101 && headers.containsKey("content-length")) {
      byte[] b = new DataInputStream(is).readNBytes(Integer.parseInt(headers.get("content-length")));
      body = new String(b, StandardCharsets.UTF_8);
    }
    return new RawWebSocket(s, status, headers, body);
  }

  private static String readLine(InputStream is) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = is.read()) != -1) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    if (c == -1 && b.size() == 0) {
      throw new EOFException("connection closed during the handshake");
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  /** The HTTP status of the upgrade response (101 on success). */
  public int status() {
    return status;
  }

  /** A response header (lower-case name), or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The body of a non-101 response. */
  public String body() {
    return body;
  }

  public Socket socket() {
    return socket;
  }

  public void sendText(String text) throws IOException {
    sendFrame(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
  }

  public void sendClose(int code, String reason) throws IOException {
    byte[] r = reason.getBytes(StandardCharsets.UTF_8);
    byte[] p = new byte[2 + r.length];
    p[0] = (byte) (code >> 8);
    p[1] = (byte) code;
    System.arraycopy(r, 0, p, 2, r.length);
    sendFrame(CLOSE, true, p);
  }

  /** Sends one masked frame as a client must; {@code opcode} may carry RSV bits ({@code 0x40}: RSV1). */
  public synchronized void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
    ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
    f.write((fin ? 0x80 : 0) | opcode);
    int len = payload.length;
    if (len < 126) {
      f.write(0x80 | len);
    } else if (len <= 0xFFFF) {
      f.write(0x80 | 126);
      f.write(len >> 8);
      f.write(len);
    } else {
      f.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        f.write((int) ((long) len >> (8 * i)));
      }
    }
    byte[] mask = new byte[4];
    random.nextBytes(mask);
    f.write(mask, 0, 4);
    for (int i = 0; i < len; i++) {
      f.write(payload[i] ^ mask[i & 3]);
    }
    out.write(f.toByteArray());
    out.flush();
  }

  /** Reads the next frame, waiting up to the socket timeout (10 s by default). */
  public Frame readFrame() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7F;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    if ((b1 & 0x80) != 0) {
      throw new IOException("server frames must not be masked");
    }
    byte[] p = new byte[(int) len];
    in.readFully(p);
    return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, p, (b0 >> 4) & 0x7);
  }

  /** Reads frames until a data or close frame arrives, answering nothing (pings are skipped). */
  public Frame readDataOrClose() throws IOException {
    while (true) {
      Frame f = readFrame();
      if (f.opcode() != PING && f.opcode() != PONG) {
        return f;
      }
    }
  }

  /** Whether the server closed the TCP connection (reads EOF within {@code millis}). */
  public boolean awaitEof(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      while (true) {
        if (in.read() == -1) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by peer counts as closed
    }
  }

  public void setReadTimeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
