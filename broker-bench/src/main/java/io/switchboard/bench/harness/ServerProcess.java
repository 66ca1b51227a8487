package io.switchboard.bench.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server the harness started as a child process (its own JVM or nats-server), so the client and the server never
 * share a heap or a GC. Ready once its port accepts a connection; stopped by its own pid (SIGTERM, then SIGKILL after
 * a grace period), never by name.
 */
public final class ServerProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final int port;

  private ServerProcess(String name, Process process, int port) {
    this.name = name;
    this.process = process;
    this.port = port;
  }

  /** Starts {@code command} with its output appended to {@code log} and waits until {@code port} accepts. */
  public static ServerProcess start(String name, List<String> command, Map<String, String> env, Path log, int port,
      Duration timeout) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    ServerProcess sp = new ServerProcess(name, pb.start(), port);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!sp.accepts()) {
      if (!sp.process.isAlive()) {
        throw new IOException(name + " exited with " + sp.process.exitValue() + " before listening (see " + log + ")");
      }
      if (System.nanoTime() > deadline) {
        sp.close();
        throw new IOException(name + " did not listen on " + port + " within " + timeout + " (see " + log + ")");
      }
      Thread.sleep(50);
    }
    return sp;
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public long pid() {
    return process.pid();
  }

  public int port() {
    return port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", port " + port + ")";
  }
}
