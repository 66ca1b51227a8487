package io.switchboard.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Tiny HTTP helpers over {@link HttpClient} for integration tests against 127.0.0.1. */
public final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {}

  public static HttpResponse<String> get(int port, String path, String... headers) {
    return send(HttpRequest.newBuilder(uri(port, path)).GET(), headers);
  }

  public static HttpResponse<String> post(int port, String path, String body, String... headers) {
    return send(HttpRequest.newBuilder(uri(port, path)).POST(HttpRequest.BodyPublishers.ofString(body)), headers);
  }

  public static HttpResponse<String> put(int port, String path, String body, String... headers) {
    return send(HttpRequest.newBuilder(uri(port, path)).PUT(HttpRequest.BodyPublishers.ofString(body)), headers);
  }

  public static HttpResponse<String> delete(int port, String path, String... headers) {
    return send(HttpRequest.newBuilder(uri(port, path)).DELETE(), headers);
  }

  /** Any method; {@code body} null sends none. */
  public static HttpResponse<String> request(int port, String method, String path, String body,
      String... headers) {
    return send(HttpRequest.newBuilder(uri(port, path)).method(method, body == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)), headers);
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static HttpResponse<String> send(HttpRequest.Builder b, String... headers) {
    if (headers.length > 0) {
      b.headers(headers);
    }
    try {
      return CLIENT.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
