package io.switchboard.bench.harness.idle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM's memory from outside: live heap via {@code jcmd PID GC.run} then {@code GC.heap_info} (the "used"
 * of the heap after a full collection, so garbage does not count), and resident set size from
 * {@code /proc/PID/status} ({@code VmRSS}: heap, direct buffers, thread stacks, code, all of it).
 */
final class ServerMemory {
  private static final Pattern USED = Pattern.compile("used (\\d+)K");
  private static final Pattern HISTO_LINE = Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

  private ServerMemory() {}

  /** Heap used after a full GC, in bytes; -1 when jcmd is missing or the target is not a JVM. */
  static long heapAfterGc(long pid) throws IOException, InterruptedException {
    String jcmd = jcmd();
    if (jcmd == null) {
      return -1;
    }
    run(jcmd, Long.toString(pid), "GC.run");
    run(jcmd, Long.toString(pid), "GC.run"); // a second pass: finalizable and soft references from the first
    Matcher m = USED.matcher(run(jcmd, Long.toString(pid), "GC.heap_info"));
    return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
  }

  /**
   * Live bytes per class ({@code jcmd PID GC.class_histogram}, which runs a full GC first); empty when jcmd is
   * missing. The difference of two tells what the connections between them are made of.
   */
  static java.util.Map<String, Long> classHistogram(long pid) throws IOException, InterruptedException {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    String jcmd = jcmd();
    if (jcmd == null) {
      return out;
    }
    Matcher m = HISTO_LINE.matcher(run(jcmd, Long.toString(pid), "GC.class_histogram"));
    while (m.find()) {
      out.merge(m.group(2), Long.parseLong(m.group(1)), Long::sum);
    }
    return out;
  }

  /** Resident set size in bytes, -1 when unknown. */
  static long rss(long pid) throws IOException {
    Matcher m = RSS.matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
    return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
  }

  private static String jcmd() {
    String java = ProcessHandle.current().info().command().orElse(null);
    if (java != null) {
      Path j = Path.of(java).resolveSibling("jcmd");
      if (Files.isExecutable(j)) {
        return j.toString();
      }
    }
    return null;
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " did not finish");
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
