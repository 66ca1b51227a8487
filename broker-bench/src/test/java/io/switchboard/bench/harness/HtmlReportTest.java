package io.switchboard.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @Test
  void render_isSelfContainedWithOneSeriesPerTarget() {
    String html = HtmlReport.render(ReportsTest.report());
    assertThat(html).contains("<svg id=\"latency-plot\"").doesNotContain("<script").doesNotContain("http://")
        .doesNotContain("https://").contains("ratio switchboard/baseline = 0.900");
    for (String t : new String[] {"switchboard", "baseline", "nats"}) {
      int at = html.indexOf("data-target=\"" + t + "\"");
      assertThat(at).as(t).isPositive();
      String points = html.substring(html.indexOf("points=\"", at) + 8, html.indexOf("\"/>", at));
      assertThat(points.trim().split(" ")).as(t).hasSizeGreaterThan(10);
    }
  }

  /** The plot is drawn by a real browser: Debian's headless chromium screenshots the page; the series' red shows. */
  @Test
  void render_opensInHeadlessChromiumWithThePlotDrawn(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "no /usr/bin/chromium");
    Path html = dir.resolve("report.html");
    Files.writeString(html, HtmlReport.render(ReportsTest.report()), StandardCharsets.UTF_8);
    Path png = dir.resolve("shot.png");
    Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile"), "--window-size=1000,800",
        "--screenshot=" + png, html.toUri().toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 60 s");
    }
    assertThat(png).exists();
    BufferedImage img = ImageIO.read(png.toFile());
    int red = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        int r = rgb >> 16;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (r > 180 && g < 90 && b < 90) { // the first series' #d62728
          red++;
        }
      }
    }
    assertThat(red).as("red pixels of the switchboard series and its legend").isGreaterThan(500);
  }
}
