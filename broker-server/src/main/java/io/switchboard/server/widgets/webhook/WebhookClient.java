package io.switchboard.server.widgets.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Delivers webhook jobs (widgets §5.6) on its own bounded worker pool — never on a broker event loop.
 *
 * <p>{@link #offer} admits a job when fewer than {@code workers + queueSize} jobs are in flight (running, queued or
 * waiting for a retry) and returns false otherwise (the dialect answers 503 {@code webhook queue full}). Each
 * attempt is a blocking HTTP/1.1 exchange over a raw {@link Socket} / {@link SSLSocket}: per hop the host is resolved
 * once through the {@link HostResolver}, the hop is denied if ANY address is denied by the
 * {@link DestinationPolicy}, and only the checked addresses are connected through the {@link Connector} (never
 * re-resolved). TLS uses the host name for SNI and certificate (endpoint) verification; the {@code Host} header keeps
 * the original host and port. Only 307/308 are followed (at most {@code maxRedirects} hops, each re-checked). Retry
 * delays run on a timer thread, so a waiting retry holds no worker. The outcome callback runs on a worker or timer
 * thread: callers hop to their own event loop.
 *
 * <p>Metrics: {@code switchboard.webhooks{outcome,reason}} — outcome {@code delivered} (2xx, reason {@code 2xx}),
 * {@code failed} (reason an error name such as {@code destination_denied}, or the status class {@code 4xx},
 * {@code 5xx}, {@code 3xx}, {@code 1xx}) or {@code rejected} (reason {@code queue_full}); and
 * {@code switchboard.webhooks.retries}.
 */
public final class WebhookClient implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(WebhookClient.class.getName());
  static final String USER_AGENT = "Switchboard-Webhook/1";
  private static final int MAX_LINE = 8192;
  private static final int MAX_HEADERS = 100;

  private final WebhookSettings settings;
  private final DestinationPolicy policy;
  private final HostResolver resolver;
  private final Connector connector;
  private final SSLSocketFactory sslFactory;
  private final DoubleSupplier random;
  private final MeterRegistry meters;
  private final ThreadPoolExecutor workers;
  private final ScheduledThreadPoolExecutor timer;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final int capacity;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Counter retries;
  private volatile boolean closed;

  private WebhookClient(Builder b) {
    this.settings = b.settings;
    this.policy = b.policy;
    this.resolver = b.resolver;
    this.connector = b.connector;
    this.sslFactory = b.sslFactory;
    this.random = b.random;
    this.meters = b.meters != null ? b.meters : new SimpleMeterRegistry();
    this.capacity = settings.workers() + settings.queueSize();
    this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), threads("switchboard-webhook-"));
    this.timer = new ScheduledThreadPoolExecutor(1, threads("switchboard-webhook-timer-"));
    this.timer.setRemoveOnCancelPolicy(true);
    this.retries = Counter.builder("switchboard.webhooks.retries").description("webhook retries scheduled")
        .register(meters);
  }

  /** A builder with the defaults of §5.6/§7, an empty allow-list and the system resolver. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Queues a job. Returns false (nothing queued, {@code onOutcome} never called) when the queue is full or the
   * client is closed. Otherwise {@code onOutcome} is called exactly once, off the caller's thread.
   */
  public boolean offer(WebhookJob job, Consumer<WebhookOutcome> onOutcome) {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(onOutcome, "onOutcome");
    if (closed) {
      count("rejected", "closed");
      return false;
    }
    if (inFlight.incrementAndGet() > capacity) {
      inFlight.decrementAndGet();
      count("rejected", "queue_full");
      return false;
    }
    Delivery d = new Delivery(job, onOutcome);
    try {
      workers.execute(() -> run(d));
    } catch (RejectedExecutionException e) {
      inFlight.decrementAndGet();
      count("rejected", "closed");
      return false;
    }
    return true;
  }

  /** Jobs admitted and not finished. */
  public int inFlight() {
    return inFlight.get();
  }

  /** The settings in use. */
  public WebhookSettings settings() {
    return settings;
  }

  /** Stops the workers and the timer; jobs not finished get no outcome. */
  @Override
  public void close() {
    closed = true;
    workers.shutdownNow();
    timer.shutdownNow();
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static final class Delivery {
    final WebhookJob job;
    final Consumer<WebhookOutcome> onOutcome;
    int attempts;

    Delivery(WebhookJob job, Consumer<WebhookOutcome> onOutcome) {
      this.job = job;
      this.onOutcome = onOutcome;
    }
  }

  /** The result of one attempt; {@code error} null when a final HTTP response was received. */
  record Attempt(int status, String body, boolean truncated, WebhookError error, Duration retryAfter) {
    static Attempt failed(WebhookError e) {
      return new Attempt(0, "", false, e, null);
    }

    boolean retryable() {
      if (error != null) {
        return error.retryable();
      }
      return status == 408 || status == 429 || (status >= 500 && status <= 599);
    }
  }

  private void run(Delivery d) {
    Attempt a;
    try {
      a = attempt(d.job);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "webhook attempt failed unexpectedly", e);
      a = Attempt.failed(WebhookError.CONNECT_FAILED);
    }
    d.attempts++;
    if (a.retryable() && d.attempts <= settings.maxRetries() && !closed) {
      long delayNanos = retryDelayNanos(d.attempts, a.retryAfter());
      retries.increment();
      try {
        timer.schedule(() -> {
          try {
            workers.execute(() -> run(d));
          } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
          }
        }, delayNanos, TimeUnit.NANOSECONDS);
        return;
      } catch (RejectedExecutionException e) {
        inFlight.decrementAndGet();
        return;
      }
    }
    finish(d, a);
  }

  /** Delay before retry {@code retryNumber} (1-based). */
  long retryDelayNanos(int retryNumber, Duration retryAfter) {
    double nanos;
    if (retryAfter != null && retryAfter.compareTo(settings.maxRetryAfter()) <= 0) {
      nanos = retryAfter.toNanos();
    } else {
      List<Duration> b = settings.backoff();
      double base = b.get(Math.min(retryNumber - 1, b.size() - 1)).toNanos();
      double j = settings.jitter();
      nanos = base * (1 + j * (2 * random.getAsDouble() - 1));
    }
    return Math.max(0, (long) (nanos * settings.delayScale()));
  }

  private void finish(Delivery d, Attempt a) {
    WebhookOutcome out;
    String url = d.job.url().text();
    if (a.error() != null) {
      out = WebhookOutcome.failure(url, d.attempts, a.error());
      count("failed", a.error().wireName());
    } else {
      boolean ok = a.status() >= 200 && a.status() <= 299;
      out = new WebhookOutcome(url, a.status(), ok, a.body(), a.truncated(), d.attempts, null);
      count(ok ? "delivered" : "failed", (a.status() / 100) + "xx");
    }
    inFlight.decrementAndGet();
    try {
      d.onOutcome.accept(out);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "webhook outcome callback failed", e);
    }
  }

  private void count(String outcome, String reason) {
    counters.computeIfAbsent(outcome + '\0' + reason, k -> Counter.builder("switchboard.webhooks")
        .description("webhook jobs by outcome").tag("outcome", outcome).tag("reason", reason).register(meters))
        .increment();
  }

  // --- one attempt ------------------------------------------------------------------------------------------------

  Attempt attempt(WebhookJob job) {
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    WebhookUrl current = job.url();
    for (int hop = 0; ; hop++) {
      InetAddress[] addresses;
      byte[] literal = current.literalAddress();
      try {
        addresses = literal != null
            ? new InetAddress[] {InetAddress.getByAddress(literal)}
            : resolver.resolve(current.host());
      } catch (UnknownHostException | RuntimeException e) {
        return Attempt.failed(WebhookError.DNS_FAILURE);
      }
      if (addresses == null || addresses.length == 0) {
        return Attempt.failed(WebhookError.DNS_FAILURE);
      }
      if (policy.isDenied(literal != null ? null : current.host(), addresses)) {
        return Attempt.failed(WebhookError.DESTINATION_DENIED);
      }
      if (System.nanoTime() - deadline >= 0) {
        return Attempt.failed(WebhookError.TIMEOUT);
      }
      Exchange ex = exchange(current, addresses, job, deadline);
      if (ex.error != null) {
        return Attempt.failed(ex.error);
      }
      if ((ex.status == 307 || ex.status == 308) && ex.location != null) {
        if (hop >= settings.maxRedirects()) {
          return Attempt.failed(WebhookError.TOO_MANY_REDIRECTS);
        }
        WebhookUrl next = redirectTarget(current, ex.location);
        if (next == null) {
          return Attempt.failed(WebhookError.DESTINATION_DENIED);
        }
        current = next;
        continue;
      }
      return new Attempt(ex.status, ex.body, ex.truncated, null, ex.retryAfter);
    }
  }

  /** The checked next hop, or null when the Location is unusable or refused (judged as a denied destination). */
  private WebhookUrl redirectTarget(WebhookUrl current, String location) {
    URI target;
    try {
      target = current.uri().resolve(location.trim());
    } catch (IllegalArgumentException e) {
      return null;
    }
    WebhookUrl.Result r = WebhookUrl.parse(target.toString(), settings.allowedPorts(), policy);
    return r instanceof WebhookUrl.Valid v ? v.url() : null;
  }

  private static final class Exchange {
    WebhookError error;
    int status;
    String body = "";
    boolean truncated;
    String location;
    Duration retryAfter;

    static Exchange failed(WebhookError e) {
      Exchange x = new Exchange();
      x.error = e;
      return x;
    }
  }

  private static int remainingMillis(long deadline) {
    long ns = deadline - System.nanoTime();
    return ns <= 0 ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(ns)));
  }

  private Exchange exchange(WebhookUrl url, InetAddress[] addresses, WebhookJob job, long deadline) {
    Socket raw = null;
    for (InetAddress address : addresses) {
      int remaining = remainingMillis(deadline);
      if (remaining == 0) {
        return Exchange.failed(WebhookError.TIMEOUT);
      }
      try {
        raw = connector.connect(new InetSocketAddress(address, url.port()), remaining);
        break;
      } catch (SocketTimeoutException e) {
        return Exchange.failed(WebhookError.TIMEOUT);
      } catch (IOException e) {
        // try the next checked address
      }
    }
    if (raw == null) {
      return Exchange.failed(remainingMillis(deadline) == 0 ? WebhookError.TIMEOUT : WebhookError.CONNECT_FAILED);
    }
    Socket socket = raw;
    AtomicBoolean fired = new AtomicBoolean();
    Socket toClose = raw;
    ScheduledFuture<?> watchdog;
    try {
      watchdog = timer.schedule(() -> {
        fired.set(true);
        closeQuietly(toClose);
      }, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      closeQuietly(raw);
      return Exchange.failed(WebhookError.CONNECT_FAILED);
    }
    try {
      int remaining = remainingMillis(deadline);
      if (remaining == 0) {
        return Exchange.failed(WebhookError.TIMEOUT);
      }
      raw.setSoTimeout(remaining);
      if (url.isHttps()) {
        try {
          SSLSocket ssl = (SSLSocket) sslFactory.createSocket(raw, url.host(), url.port(), true);
          socket = ssl;
          SSLParameters p = ssl.getSSLParameters();
          p.setEndpointIdentificationAlgorithm("HTTPS");
          if (!url.isLiteralIp()) {
            p.setServerNames(List.of(new SNIHostName(url.host())));
          }
          ssl.setSSLParameters(p);
          ssl.startHandshake();
        } catch (SSLException | IllegalArgumentException e) {
          return Exchange.failed(timedOut(fired, deadline) ? WebhookError.TIMEOUT : WebhookError.TLS_FAILURE);
        }
      }
      writeRequest(socket.getOutputStream(), url, job);
      return readResponse(new BufferedInputStream(socket.getInputStream(), 8192));
    } catch (SocketTimeoutException e) {
      return Exchange.failed(WebhookError.TIMEOUT);
    } catch (IOException e) {
      return Exchange.failed(timedOut(fired, deadline) ? WebhookError.TIMEOUT : WebhookError.CONNECT_FAILED);
    } finally {
      watchdog.cancel(false);
      closeQuietly(raw);
      if (socket != raw) {
        closeQuietly(socket);
      }
    }
  }

  private static boolean timedOut(AtomicBoolean fired, long deadline) {
    return fired.get() || System.nanoTime() - deadline >= 0;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException | RuntimeException ignored) {
      // closing
    }
  }

  private static void writeRequest(OutputStream os, WebhookUrl url, WebhookJob job) throws IOException {
    StringBuilder h = new StringBuilder(256);
    h.append("POST ").append(url.requestTarget()).append(" HTTP/1.1\r\n")
        .append("Host: ").append(url.hostHeader()).append("\r\n")
        .append("Content-Type: application/json\r\n")
        .append("User-Agent: ").append(USER_AGENT).append("\r\n")
        .append("X-Switchboard-Delivery: ").append(job.deliveryId()).append("\r\n")
        .append("X-Switchboard-Stream: ").append(job.streamId()).append("\r\n")
        .append("Content-Length: ").append(job.body().length).append("\r\n")
        .append("Accept-Encoding: identity\r\n")
        .append("Connection: close\r\n\r\n");
    OutputStream out = new BufferedOutputStream(os, 8192);
    out.write(h.toString().getBytes(StandardCharsets.UTF_8));
    out.write(job.body());
    out.flush();
  }

  // --- HTTP/1.1 response ------------------------------------------------------------------------------------------

  private Exchange readResponse(InputStream in) throws IOException {
    int status;
    Map<String, String> headers;
    while (true) {
      String statusLine = readLine(in);
      if (statusLine == null) {
        throw new ProtocolException("connection closed before the status line");
      }
      status = parseStatus(statusLine);
      headers = readHeaders(in);
      if (status >= 100 && status <= 199 && status != 101) {
        continue;   // interim response
      }
      break;
    }
    Exchange x = new Exchange();
    x.status = status;
    if ((status == 307 || status == 308) && headers.containsKey("location")) {
      x.location = headers.get("location");
      return x;   // the redirect's body is not needed
    }
    x.retryAfter = parseRetryAfter(headers.get("retry-after"));
    if (status == 204 || status == 304 || status < 200) {
      return x;
    }
    int max = settings.maxBodyBytes();
    ByteArrayOutputStream body = new ByteArrayOutputStream(Math.min(max, 1024));
    String te = headers.get("transfer-encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).trim().endsWith("chunked")) {
      x.truncated = readChunked(in, body, max);
    } else if (headers.containsKey("content-length")) {
      long length;
      try {
        length = Long.parseLong(headers.get("content-length").trim());
      } catch (NumberFormatException e) {
        throw new ProtocolException("bad Content-Length");
      }
      if (length < 0) {
        throw new ProtocolException("bad Content-Length");
      }
      readUpTo(in, body, (int) Math.min(length, max));
      x.truncated = length > max;
    } else {
      readUpTo(in, body, max);
      x.truncated = body.size() >= max && in.read() != -1;
    }
    x.body = new String(body.toByteArray(), StandardCharsets.UTF_8);   // malformed input → U+FFFD
    return x;
  }

  /** Reads chunks into {@code body} up to {@code max} bytes; true when more body data followed. */
  private static boolean readChunked(InputStream in, ByteArrayOutputStream body, int max) throws IOException {
    while (true) {
      String line = readLine(in);
      if (line == null) {
        return false;   // cut short: keep what arrived
      }
      int semi = line.indexOf(';');
      String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
      long size;
      try {
        size = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw new ProtocolException("bad chunk size");
      }
      if (size < 0) {
        throw new ProtocolException("bad chunk size");
      }
      if (size == 0) {
        return false;
      }
      int room = max - body.size();
      if (size > room) {
        readUpTo(in, body, room);
        return true;
      }
      if (readUpTo(in, body, (int) size) < size) {
        return false;
      }
      readLine(in);   // CRLF after the chunk
      if (body.size() >= max) {
        String next = readLine(in);
        if (next == null) {
          return false;
        }
        int s2 = next.indexOf(';');
        String hex2 = (s2 >= 0 ? next.substring(0, s2) : next).trim();
        try {
          return Long.parseLong(hex2, 16) > 0;
        } catch (NumberFormatException e) {
          throw new ProtocolException("bad chunk size");
        }
      }
    }
  }

  private static int readUpTo(InputStream in, ByteArrayOutputStream out, int n) throws IOException {
    byte[] buf = new byte[Math.max(1, Math.min(n, 8192))];
    int total = 0;
    while (total < n) {
      int r = in.read(buf, 0, Math.min(buf.length, n - total));
      if (r < 0) {
        break;
      }
      out.write(buf, 0, r);
      total += r;
    }
    return total;
  }

  private static int parseStatus(String line) throws ProtocolException {
    if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
      throw new ProtocolException("bad status line");
    }
    try {
      int status = Integer.parseInt(line.substring(9, 12));
      if (status < 100 || status > 999) {
        throw new ProtocolException("bad status");
      }
      return status;
    } catch (NumberFormatException e) {
      throw new ProtocolException("bad status line");
    }
  }

  private static Map<String, String> readHeaders(InputStream in) throws IOException {
    Map<String, String> headers = new HashMap<>();
    for (int i = 0; ; i++) {
      String line = readLine(in);
      if (line == null) {
        throw new ProtocolException("connection closed in the headers");
      }
      if (line.isEmpty()) {
        return headers;
      }
      if (i >= MAX_HEADERS) {
        throw new ProtocolException("too many headers");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      headers.putIfAbsent(name, line.substring(colon + 1).trim());
    }
  }

  /** A line without its CRLF (or LF); null at EOF before any byte. */
  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return sb.length() == 0 ? null : sb.toString();
      }
      if (b == '\n') {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') {
          sb.setLength(len - 1);
        }
        return sb.toString();
      }
      if (sb.length() >= MAX_LINE) {
        throw new ProtocolException("line too long");
      }
      sb.append((char) b);
    }
  }

  /** Delay-seconds or an HTTP-date; null when absent or unparseable. */
  static Duration parseRetryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        return Duration.ofSeconds(Long.parseLong(v));
      } catch (NumberFormatException e) {
        return null;   // absurdly large: not honoured
      }
    }
    try {
      ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration d = Duration.between(ZonedDateTime.now(when.getZone()), when);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Configures a {@link WebhookClient}. */
  public static final class Builder {
    private WebhookSettings settings = WebhookSettings.defaults();
    private DestinationPolicy policy = DestinationPolicy.defaults();
    private HostResolver resolver = HostResolver.system();
    private Connector connector = Connector.direct();
    private SSLSocketFactory sslFactory;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private MeterRegistry meters;

    private Builder() {}

    public Builder settings(WebhookSettings settings) {
      this.settings = Objects.requireNonNull(settings);
      return this;
    }

    public Builder policy(DestinationPolicy policy) {
      this.policy = Objects.requireNonNull(policy);
      return this;
    }

    public Builder resolver(HostResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver);
      return this;
    }

    public Builder connector(Connector connector) {
      this.connector = Objects.requireNonNull(connector);
      return this;
    }

    /** TLS socket factory (default: the JVM's default SSLContext, i.e. the system trust store). */
    public Builder sslSocketFactory(SSLSocketFactory sslFactory) {
      this.sslFactory = Objects.requireNonNull(sslFactory);
      return this;
    }

    /** Jitter source in [0, 1). */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random);
      return this;
    }

    public Builder meters(MeterRegistry meters) {
      this.meters = Objects.requireNonNull(meters);
      return this;
    }

    public WebhookClient build() {
      if (sslFactory == null) {
        sslFactory = (SSLSocketFactory) SSLSocketFactory.getDefault();
      }
      return new WebhookClient(this);
    }
  }
}
