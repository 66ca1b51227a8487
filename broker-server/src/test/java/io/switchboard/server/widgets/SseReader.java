package io.switchboard.server.widgets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A minimal blocking Server-Sent Events client over a raw socket, for tests: the head, then event by event. */
final class SseReader implements AutoCloseable {
  /** One event: its {@code id} (null when absent), its data, and the comments seen before it. */
  record Event(String id, String data, int comments) {}

  private final Socket socket;
  private final BufferedReader in;
  final int status;
  final Map<String, String> headers = new LinkedHashMap<>();
  final String body;

  private SseReader(int port, String path, Map<String, String> extra) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Accept: text/event-stream\r\n");
    extra.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    OutputStream out = socket.getOutputStream();
    out.write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    String statusLine = in.readLine();
    status = Integer.parseInt(statusLine.substring(9, 12));
    String line;
    int length = -1;
    while ((line = in.readLine()) != null && !line.isEmpty()) {
      int c = line.indexOf(':');
      headers.put(line.substring(0, c).trim().toLowerCase(), line.substring(c + 1).trim());
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    if (status != 200 && length > 0) {
      char[] b = new char[length];
      int n = 0;
      while (n < length) {
        int r = in.read(b, n, length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
      body = new String(b, 0, n);
    } else {
      body = null;
    }
  }

  static SseReader open(int port, String path) throws IOException {
    return new SseReader(port, path, Map.of());
  }

  static SseReader open(int port, String path, Map<String, String> headers) throws IOException {
    return new SseReader(port, path, headers);
  }

  /** The next event (skipping {@code retry:} and comments), or null at the end of the stream. */
  Event next() throws IOException {
    String id = null;
    StringBuilder data = null;
    int comments = 0;
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null) {
          return new Event(id, data.toString(), comments);
        }
        continue;
      }
      if (line.startsWith(":")) {
        comments++;
      } else if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("data: ")) {
        data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
      } else if (line.startsWith("event:")) {
        throw new AssertionError("the broker must not write event: fields, got " + line);
      }
    }
    return null;
  }

  /** Reads until {@code n} comment lines (heartbeats) have arrived; fails if an event comes first. */
  void awaitComments(int n) throws IOException {
    int seen = 0;
    String line;
    while (seen < n && (line = in.readLine()) != null) {
      if (line.startsWith(":")) {
        seen++;
      } else if (!line.isEmpty()) {
        throw new AssertionError("expected only heartbeats, got " + line);
      }
    }
    if (seen < n) {
      throw new AssertionError("stream ended after " + seen + " comments");
    }
  }

  /** The next event whose data contains {@code fragment}, skipping others. */
  Event nextContaining(String fragment) throws IOException {
    Event e;
    while ((e = next()) != null) {
      if (e.data().contains(fragment)) {
        return e;
      }
    }
    throw new AssertionError("stream ended before an event containing " + fragment);
  }

  /** Whether no event with {@code fragment} arrives within {@code millis} (other events are skipped). */
  boolean noneContaining(String fragment, int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      Event e;
      while ((e = next()) != null) {
        if (e.data().contains(fragment)) {
          return false;
        }
      }
      return true;
    } catch (SocketTimeoutException expected) {
      return true;
    } finally {
      socket.setSoTimeout(10_000);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
