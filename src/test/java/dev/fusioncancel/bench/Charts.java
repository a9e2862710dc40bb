package dev.fusioncancel.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The benchmark's charts, rendered as PNG next to its tables (XChart, test scope only). */
final class Charts {
  private Charts() {}

  /** Where the PNGs go: {@code target/bench/} (docs/img/ keeps the committed copies). */
  static Path dir() throws IOException {
    Path d = Path.of(System.getProperty("bench.repo", ".")).resolve("target/bench");
    Files.createDirectories(d);
    return d;
  }

  /**
   * Requests per second over time (one-second buckets from the first request of all series, or of
   * each series when {@code eachFromItsStart}), one line per series, the quota a dashed line.
   */
  static Path rate(
      String file,
      String title,
      Map<String, List<Instant>> series,
      double quotaPerSecond,
      boolean eachFromItsStart)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(420)
            .title(title)
            .xAxisTitle(
                eachFromItsStart
                    ? "seconds since the run's first request"
                    : "seconds since the first request")
            .yAxisTitle("requests per second")
            .build();
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    chart.getStyler().setMarkerSize(0);
    Instant first =
        series.values().stream()
            .flatMap(List::stream)
            .min(Instant::compareTo)
            .orElse(Instant.EPOCH);
    int maxSecond = 1;
    for (Map.Entry<String, List<Instant>> e : series.entrySet()) {
      Instant origin =
          eachFromItsStart ? e.getValue().stream().min(Instant::compareTo).orElse(first) : first;
      int[] buckets = buckets(e.getValue(), origin);
      maxSecond = Math.max(maxSecond, buckets.length);
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (int s = 0; s < buckets.length; s++) {
        x.add((double) s);
        y.add((double) buckets[s]);
      }
      if (!x.isEmpty()) {
        chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.NONE);
      }
    }
    XYSeries quota =
        chart.addSeries(
            "quota (" + BenchSupport.num(quotaPerSecond) + "/s)",
            new double[] {0, maxSecond},
            new double[] {quotaPerSecond, quotaPerSecond});
    quota.setMarker(SeriesMarkers.NONE);
    quota.setLineColor(Color.RED);
    quota.setLineStyle(
        new BasicStroke(
            2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f}, 0));
    return save(chart, file);
  }

  /** A box per series (e.g. per cold-start variant and function), values in milliseconds. */
  static Path distribution(String file, String title, Map<String, List<Double>> samplesMs)
      throws IOException {
    BoxChart chart =
        new BoxChartBuilder().width(1200).height(520).title(title).yAxisTitle("ms").build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisLabelRotation(90);
    for (Map.Entry<String, List<Double>> e : samplesMs.entrySet()) {
      if (!e.getValue().isEmpty()) {
        chart.addSeries(e.getKey(), new ArrayList<>(e.getValue()));
      }
    }
    return save(chart, file);
  }

  private static int[] buckets(List<Instant> times, Instant first) {
    int n = 0;
    for (Instant t : times) {
      n = Math.max(n, (int) (Duration.between(first, t).toMillis() / 1000) + 1);
    }
    int[] b = new int[n];
    for (Instant t : times) {
      b[(int) (Duration.between(first, t).toMillis() / 1000)]++;
    }
    return b;
  }

  private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, String file)
      throws IOException {
    Path out = dir().resolve(file);
    BitmapEncoder.saveBitmap(chart, out.toString(), BitmapEncoder.BitmapFormat.PNG);
    BenchSupport.progress("chart: %s", out);
    return out;
  }
}
