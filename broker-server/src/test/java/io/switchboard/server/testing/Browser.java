package io.switchboard.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real headless Chromium (Debian's {@code /usr/bin/chromium}) driven by {@code playwright-core} from npm, for
 * browser tests: starts {@code node browser/page.js} (a test resource) and talks to it one JSON line per command.
 * Both are installed by {@code scripts/install-test-deps}; when one is missing the constructor fails with a message
 * saying so (browser tests never skip).
 *
 * <p>Pages are named by the test ({@code "p1"}); each has its own browser context (cookies, storage), like a
 * separate user. Every call is bounded: a command that gets no answer in time fails the test. {@link #close}
 * stops the browser and then the node process this instance started (and its children), by handle.
 *
 * <pre>{@code
 * try (Browser b = new Browser()) {
 *   b.open("p1", "http://127.0.0.1:" + port + "/demo/rooms.html?site_id=7&slug=post-1&token=" + token);
 *   b.waitFor("p1", "window.__opened", Duration.ofSeconds(5));
 *   JsonNode r = b.eval("p1", "window.__room.post('hi')");          // promises are awaited
 *   JsonNode got = b.waitFor("p2", "window.__received.find(m => m.source === 'ws')", Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class Browser implements AutoCloseable {
  /** Where Debian's chromium lives; {@code SWITCHBOARD_CHROMIUM} overrides it. */
  public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("SWITCHBOARD_CHROMIUM",
      "/usr/bin/chromium"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final Object EOF = new Object();

  private final Process process;
  private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final OutputStream stdin;
  private final String version;
  private long nextId = 1;
  private boolean closed;

  /** Starts the browser; fails (never skips) when chromium, node or playwright-core is missing. */
  public Browser() {
    if (!Files.isExecutable(CHROMIUM)) {
      throw new IllegalStateException(CHROMIUM + " is missing: browser tests need Debian's chromium "
          + "(run scripts/install-test-deps as root, or apt-get install chromium)");
    }
    Path modules = nodeModules();
    if (!Files.isRegularFile(modules.resolve("playwright-core/package.json"))) {
      throw new IllegalStateException("playwright-core is missing from " + modules
          + ": run scripts/install-test-deps (SWITCHBOARD_CACHE selects the cache directory)");
    }
    Path script = script();
    ProcessBuilder pb = new ProcessBuilder("node", script.toString());
    pb.environment().put("NODE_PATH", modules.toString());
    pb.environment().put("SWITCHBOARD_CHROMIUM", CHROMIUM.toString());
    pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start node (Node.js >= 20 is required, see "
          + "scripts/install-test-deps): " + e.getMessage(), e);
    }
    stdin = process.getOutputStream();
    Thread out = new Thread(() -> pump(process.getInputStream(), true), "browser-stdout");
    Thread err = new Thread(() -> pump(process.getErrorStream(), false), "browser-stderr");
    out.setDaemon(true);
    err.setDaemon(true);
    out.start();
    err.start();
    JsonNode ready;
    try {
      ready = JSON.readTree(nextLine(START_TIMEOUT, "start"));
    } catch (RuntimeException | IOException e) {
      kill();
      throw new IllegalStateException("the browser harness did not start: " + e.getMessage() + stderr(), e);
    }
    if (!ready.path("ready").asBoolean()) {
      kill();
      throw new IllegalStateException("the browser harness did not start: " + ready.path("error").asText()
          + stderr());
    }
    version = ready.path("version").asText();
  }

  /** The browser's version, for example {@code 150.0.7871.100}. */
  public String version() {
    return version;
  }

  /** Opens {@code url} in page {@code page} (created on first use) and waits for its load event. */
  public JsonNode open(String page, String url) {
    return command("open", page, DEFAULT_TIMEOUT, c -> c.put("url", url).put("timeoutMs", 20_000));
  }

  /**
   * Evaluates the JavaScript expression {@code js} in page {@code page} and returns its JSON value (a promise is
   * awaited; {@code undefined} comes back as a JSON null).
   */
  public JsonNode eval(String page, String js) {
    return command("eval", page, DEFAULT_TIMEOUT, c -> c.put("expr", js));
  }

  /** Like {@link #eval}, bounded by {@code timeout} instead of the default 30 s. */
  public JsonNode eval(String page, String js, Duration timeout) {
    return command("eval", page, timeout, c -> c.put("expr", js));
  }

  /**
   * Polls the expression {@code js} in page {@code page} until it is truthy and returns that value; fails the
   * test after {@code timeout}.
   */
  public JsonNode waitFor(String page, String js, Duration timeout) {
    return command("wait", page, timeout.plusSeconds(10),
        c -> c.put("expr", js).put("timeoutMs", timeout.toMillis()));
  }

  /** Reloads page {@code page} and waits for its load event. */
  public JsonNode reload(String page) {
    return command("reload", page, DEFAULT_TIMEOUT, c -> c.put("timeoutMs", 20_000));
  }

  /** Closes page {@code page} and its context (its sockets and event streams close with it). */
  public void closePage(String page) {
    command("close", page, DEFAULT_TIMEOUT, c -> {});
  }

  /**
   * What page {@code page} reported so far: {@code messages} (console, {@code {type,text}}), {@code pageErrors}
   * (uncaught exceptions) and {@code failedRequests}. CSP violations appear as console errors.
   */
  public JsonNode console(String page) {
    return command("console", page, DEFAULT_TIMEOUT, c -> {});
  }

  /** Saves a full-page PNG of page {@code page} to {@code file} (its directory is created). */
  public Path screenshot(String page, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    command("screenshot", page, DEFAULT_TIMEOUT, c -> c.put("path", file.toAbsolutePath().toString()));
    return file;
  }

  private interface Args {
    void fill(ObjectNode c);
  }

  private synchronized JsonNode command(String cmd, String page, Duration timeout, Args args) {
    if (closed) {
      throw new IllegalStateException("browser closed");
    }
    long id = nextId++;
    ObjectNode c = JSON.createObjectNode().put("id", id).put("cmd", cmd).put("page", page);
    args.fill(c);
    try {
      stdin.write((JSON.writeValueAsString(c) + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new IllegalStateException("browser harness gone (" + cmd + " " + page + "): " + e.getMessage()
          + stderr(), e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      JsonNode reply;
      try {
        reply = JSON.readTree(nextLine(left, cmd + " " + page));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (reply.path("id").asLong(-1) != id) {
        continue; // the late answer of a command that timed out
      }
      if (!reply.path("ok").asBoolean()) {
        throw new AssertionError("browser " + cmd + " on page " + page + " failed: "
            + reply.path("error").asText());
      }
      return reply.get("result");
    }
  }

  private String nextLine(Duration timeout, String what) {
    Object line;
    try {
      line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the browser (" + what + ")", e);
    }
    if (line == null) {
      throw new AssertionError("no answer from the browser within " + timeout + " (" + what + ")" + stderr());
    }
    if (line == EOF) {
      lines.add(EOF);
      throw new IllegalStateException("the browser harness exited (" + what + ")" + stderr());
    }
    return (String) line;
  }

  private void pump(InputStream in, boolean stdout) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (stdout) {
          lines.add(line);
        } else {
          synchronized (stderrTail) {
            stderrTail.addLast(line);
            if (stderrTail.size() > 40) {
              stderrTail.removeFirst();
            }
          }
        }
      }
    } catch (IOException e) {
      // the process ended
    } finally {
      if (stdout) {
        lines.add(EOF);
      }
    }
  }

  private String stderr() {
    synchronized (stderrTail) {
      return stderrTail.isEmpty() ? "" : "\nbrowser harness stderr:\n" + String.join("\n", stderrTail);
    }
  }

  /** Asks the harness to close the browser, then ends the node process and its children if still running. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stdin.write(("{\"id\":0,\"cmd\":\"quit\"}\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      stdin.close();
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  private void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly); // chromium, started by our node process
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Path nodeModules() {
    String cache = System.getenv("SWITCHBOARD_CACHE");
    Path base = cache == null || cache.isBlank()
        ? Path.of(System.getProperty("user.home"), ".cache", "switchboard") : Path.of(cache);
    return base.resolve("npm").resolve("node_modules");
  }

  /** The harness script: straight from target/test-classes, or copied out of a jar. */
  private static Path script() {
    URL url = Browser.class.getResource("/browser/page.js");
    if (url == null) {
      throw new IllegalStateException("browser/page.js is missing from the test classpath");
    }
    try {
      if ("file".equals(url.getProtocol())) {
        return Path.of(url.toURI());
      }
      Path tmp = Files.createTempFile("switchboard-page", ".js");
      tmp.toFile().deleteOnExit();
      try (InputStream in = url.openStream()) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      return tmp;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
