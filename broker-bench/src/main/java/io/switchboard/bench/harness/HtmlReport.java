package io.switchboard.bench.harness;

import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The self-contained HTML report of a run: the results table, the ratios, and the latency-by-percentile plot as
 * inline SVG (x: percentile on the usual 1/(1-p) log scale, y: latency in µs on a log scale; one line per target).
 * No script, no external resource: it opens from disk anywhere, including a headless browser in CI.
 */
public final class HtmlReport {
  private static final String[] COLORS = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e"};
  private static final int W = 860;
  private static final int H = 420;
  private static final int LEFT = 70;
  private static final int RIGHT = 50;
  private static final int TOP = 20;
  private static final int BOTTOM = 50;
  /** The plot's x range: 0 (p0) to 6 (p99.9999). */
  private static final double MAX_NINES = 6;

  private HtmlReport() {}

  public static String render(RunReport r) {
    StringBuilder b = new StringBuilder(16_384);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>switchboard bench: ")
        .append(esc(r.scenario())).append("</title>\n<style>body{font:14px sans-serif;margin:24px;color:#222}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
            + "th:first-child,td:first-child{text-align:left}</style></head><body>\n");
    b.append("<h1>").append(esc(r.scenario())).append("</h1>\n<p>");
    r.params().forEach((k, v) -> b.append("<code>").append(esc(k)).append('=').append(esc(v)).append("</code> "));
    b.append("</p>\n<table><tr><th>target</th><th>throughput/s</th><th>p50 µs</th><th>p99 µs</th>"
        + "<th>p99.9 µs</th><th>max µs</th><th>errors</th><th>server cores</th><th>client cores</th></tr>\n");
    for (TargetResult t : r.results()) {
      b.append("<tr><td>").append(esc(t.target())).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.0f", t.throughputPerS())).append("</td><td>").append(t.p50Us())
          .append("</td><td>").append(t.p99Us()).append("</td><td>").append(t.p999Us()).append("</td><td>")
          .append(t.maxUs()).append("</td><td>").append(t.errors()).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.2f", t.serverCores())).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.2f", t.clientCores())).append("</td></tr>\n");
    }
    b.append("</table>\n<p>");
    for (Map.Entry<String, Double> e : r.ratios().entrySet()) {
      b.append("ratio ").append(esc(e.getKey())).append(" = ")
          .append(String.format(Locale.ROOT, "%.3f", e.getValue())).append("<br>");
    }
    b.append("</p>\n<h2>Latency by percentile (corrected for coordinated omission)</h2>\n");
    svg(b, r);
    return b.append("\n</body></html>\n").toString();
  }

  private static void svg(StringBuilder b, RunReport r) {
    long maxUs = 1;
    for (TargetResult t : r.results()) {
      maxUs = Math.max(maxUs, t.latencyUs().getMaxValue());
    }
    double yMax = Math.ceil(Math.log10(Math.max(10, maxUs)));
    b.append("<svg id=\"latency-plot\" width=\"").append(W)
        .append("\" height=\"").append(H).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
        .append("\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
    for (int n = 0; n <= MAX_NINES; n++) {
      double x = x(n);
      String label = n == 0 ? "0%" : n == 1 ? "90%" : n == 2 ? "99%" : "99." + "9".repeat(n - 2) + "%";
      b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
          + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, TOP, x, H - BOTTOM, x,
          H - BOTTOM + 16, label));
    }
    for (int e = 0; e <= yMax; e++) {
      double y = y(e, yMax);
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, y, W - RIGHT, y, LEFT - 6, y + 4,
          e >= 6 ? (long) Math.pow(10, e - 6) + " s" : e >= 3 ? (long) Math.pow(10, e - 3) + " ms"
              : (long) Math.pow(10, e) + " µs"));
    }
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
        (LEFT + W - RIGHT) / 2, H - 12));
    int i = 0;
    for (TargetResult t : r.results()) {
      String color = COLORS[i % COLORS.length];
      b.append("<polyline class=\"series\" data-target=\"").append(esc(t.target()))
          .append("\" fill=\"none\" stroke-width=\"2\" stroke=\"").append(color).append("\" points=\"");
      appendPoints(b, t.latencyUs(), yMax);
      b.append("\"/>\n");
      int legendY = H - BOTTOM - 12 - 18 * (r.results().size() - i); // bottom right, below the curves' tails
      b.append(String.format(Locale.ROOT,
          "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>%n",
          W - RIGHT - 130, legendY, color, W - RIGHT - 112, legendY + 10, esc(t.target())));
      i++;
    }
    b.append("</svg>");
  }

  private static void appendPoints(StringBuilder b, Histogram h, double yMax) {
    if (h.getTotalCount() == 0) {
      return;
    }
    for (HistogramIterationValue v : h.percentiles(5)) {
      double p = Math.min(v.getPercentileLevelIteratedTo(), 99.9999);
      double nines = Math.log10(100.0 / (100.0 - p));
      double lat = Math.max(1, v.getValueIteratedTo());
      b.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(nines), y(Math.log10(lat), yMax)));
      if (p >= 99.9999) {
        break;
      }
    }
  }

  private static double x(double nines) {
    return LEFT + (W - LEFT - RIGHT) * Math.min(nines, MAX_NINES) / MAX_NINES;
  }

  private static double y(double log10, double yMax) {
    return H - BOTTOM - (H - TOP - BOTTOM) * Math.min(log10, yMax) / yMax;
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
