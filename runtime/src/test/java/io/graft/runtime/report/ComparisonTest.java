package io.graft.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonTest {

    @TempDir
    Path tmp;

    @Test
    void meanAndSampleStandardDeviation() {
        MeanStd s = MeanStd.of(Arrays.asList(1.0, 2.0, 6.0, null, Double.NaN));
        assertEquals(3, s.n());
        assertEquals(3.0, s.mean(), 1e-12);
        assertEquals(Math.sqrt((4 + 1 + 9) / 2.0), s.std(), 1e-12);
        assertEquals(new MeanStd(1, 5.0, null), MeanStd.of(List.of(5.0)));
        assertEquals(new MeanStd(0, null, null), MeanStd.of(List.of()));
    }

    @Test
    void rowsCsvAndMarkdown() throws IOException {
        Files.writeString(tmp.resolve("base.yaml"), "data: {dir: d}\n");
        Files.writeString(tmp.resolve("grid.yaml"), "base: base.yaml\nseeds: [1, 2]\nmethods: {er: {}, 'bad': {}}\n");
        CompareSpec spec = CompareSpec.load(tmp.resolve("grid.yaml"));
        Comparison c = new Comparison(spec, 4);
        CompareSpec.Cell er1 = new CompareSpec.Cell("er", "given", 1);
        CompareSpec.Cell er2 = new CompareSpec.Cell("er", "given", 2);
        c.finished(er1, RunFolders.run(tmp.resolve(er1.relativeDir()), "er", 0.6, 1000, 300, 320));
        c.finished(er2, RunFolders.run(tmp.resolve(er2.relativeDir()), "er", 0.7, 3000, 310, 400));
        c.failed(new CompareSpec.Cell("bad", "given", 1), "plugin 'x' failed,\n \"badly\" | here", 4);
        c.failed(new CompareSpec.Cell("bad", "given", 2), "again", 4);

        assertEquals(List.of("class_il", "task_il"), c.protocols());
        List<Comparison.Row> rows = c.rows();
        assertEquals(2, rows.size());
        Comparison.Row er = rows.get(0);
        assertEquals(2, er.finished());
        assertEquals(0.65, er.stats().get("class_il.average_accuracy").mean(), 1e-12);
        assertEquals(2000.0, er.stats().get("train_samples_per_second").mean(), 1e-9);
        assertEquals(360.0, er.stats().get("peak_rss_mb").mean(), 1e-9, "peak of each run's task_end lines");
        assertEquals(0, er.stats().get("task_il.forgetting").n(), "NaN is no value");
        Comparison.Row bad = rows.get(1);
        assertEquals(0, bad.finished());
        assertEquals(2, bad.failed());
        assertEquals("seed 1: plugin 'x' failed, \"badly\" | here", bad.failures().get(0));
        assertNull(bad.stats().get("class_il.average_accuracy").mean());

        List<String> csv = ComparisonWriter.csv(c).lines().toList();
        assertEquals(3, csv.size(), String.join("\n", csv));
        List<String> header = List.of(csv.get(0).split(","));
        assertEquals(List.of("method", "order", "finished", "failed", "class_il_average_accuracy_mean",
                "class_il_average_accuracy_std"), header.subList(0, 6));
        assertTrue(header.contains("peak_rss_mb_mean") && header.contains("wall_seconds_std"), header.toString());
        assertEquals("failures", header.get(header.size() - 1));
        String[] erRow = csv.get(1).split(",", -1);
        assertEquals(header.size(), erRow.length);
        assertEquals(0.65, Double.parseDouble(erRow[header.indexOf("class_il_average_accuracy_mean")]), 1e-12);
        assertEquals("", erRow[header.indexOf("task_il_forgetting_mean")]);
        assertTrue(csv.get(2).endsWith("\"seed 1: plugin 'x' failed, \"\"badly\"\" | here; seed 2: again\""), csv.get(2));

        String md = ComparisonWriter.markdown(c);
        assertTrue(md.contains("| er | given | 2/2 | 0.6500 ± 0.0707 |"), md);
        assertTrue(md.contains("| bad | given | 0/2 (2 failed) | – |"), md);
        assertTrue(md.contains("failed (exit 4): plugin 'x' failed, \"badly\" \\| here"), md);
        assertTrue(md.contains("[report](er/given/seed-1/report.html)"), md);
        assertTrue(md.contains("2 of 4 runs finished, 2 failed"), md);

        ComparisonWriter.write(tmp, c);
        String page = Files.readString(tmp.resolve(ComparisonWriter.HTML));
        assertEquals("er/given/seed-2/report.html",
                RunReportTest.dataOf(page).path("runs").path(1).path("report").asText());
    }
}
