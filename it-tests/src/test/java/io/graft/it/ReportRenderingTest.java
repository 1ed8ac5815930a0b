package io.graft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens {@code report.html} and {@code comparison.html} in headless Chromium, with the network off, and checks
 * that every chart was drawn: the pages mark each chart container {@code data-rendered="true"} once ECharts
 * has finished and the body {@code data-ready="true"} once the page script ran without an error; ECharts'
 * SVG renderer leaves an {@code <svg>} in each container. Skipped when Debian's {@code chromium} is not
 * installed (system property {@code graft.chromium} names another binary). Screenshots of both pages are left
 * in {@code target/report-screenshots/} for a person to look at.
 */
@EnabledIf(value = "chromiumInstalled", disabledReason = "no headless Chromium at /usr/bin/chromium (apt-get install "
        + "chromium, or -Dgraft.chromium=PATH): the rendering of report.html and comparison.html is not checked")
class ReportRenderingTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("graft.chromium", "/usr/bin/chromium"));
    private static final Pattern CHART = Pattern.compile("<div[^>]*\\bdata-chart=\"true\"[^>]*>");
    private static final String NASTY = "</script><b id=\"injected\">bold</b>";

    @TempDir
    static Path tmp;
    static Path out;
    static Path nasty;
    static Path grown;

    /** @return whether the browser is there (JUnit's condition for this class) */
    static boolean chromiumInstalled() {
        return Files.isExecutable(CHROMIUM);
    }

    @BeforeAll
    static void makePages() throws IOException {
        Path home = GraftDistribution.copy(tmp.resolve("graft"));
        Path grid = Files.writeString(tmp.resolve("grid.yaml"), """
                base: graft/examples/split-fmnist-finetune.yaml
                seeds: [1, 2]
                methods: {finetune: {}, er: {plugins: [{id: er}]}, hat: {model: {heads: multi}, plugins: [{id: hat}]}}
                """);
        out = tmp.resolve("out");
        GraftDistribution.Result r = GraftDistribution.graft(home, tmp.resolve("work"), Cli.TIMEOUT, Cli.SMALL_RUN_ENV,
                "compare", grid.toString(), "--out", out.toString(), "--set", "data.dir=" + Cli.mini(home),
                "--set", "model.hidden=[64]", "--set", "device=cpu");
        assertEquals(0, r.exitCode(), r.describe());
        grown = tmp.resolve("grown");
        r = Cli.run(home, tmp.resolve("work"), home.resolve("examples/grow-fmnist.yaml"), grown, "scenario.tasks=1",
                "model.hidden=[32]", "train.epochs=1", "plugins.0.id=schedule", "plugins.0.config={every: 40}");
        assertEquals(0, r.exitCode(), r.describe());
        nasty = tmp.resolve("nasty");
        r = Cli.run(home, tmp.resolve("work"), home.resolve("examples/split-fmnist-er.yaml"), nasty, "name=" + NASTY);
        assertEquals(0, r.exitCode(), r.describe());
    }

    @Test
    void runReportDrawsEveryChart() throws Exception {
        String dom = render(out.resolve("er/given/seed-1/report.html"), "report.png");
        // 2 heatmaps, 2 accuracy-over-time charts, the loss, er.buffer_size, memory
        assertAllChartsRendered(dom, 7);
    }

    @Test
    void taskIncrementalOnlyRunReportDrawsEveryChart() throws Exception {
        String dom = render(out.resolve("hat/given/seed-1/report.html"), "report-hat.png");
        // task_il only: 1 heatmap, 1 accuracy-over-time chart, the loss, memory and HAT's metrics: 8 charts
        assertAllChartsRendered(dom, 8);
    }

    @Test
    void aGrownNetworksReportDrawsItsShapeOverTime() throws Exception {
        String dom = render(grown.resolve("report.html"), "report-grown.png");
        // 2 heatmaps, 2 accuracy-over-time charts, the loss, the network's shape, memory, and the policies' 9 metrics
        assertAllChartsRendered(dom, 16);
        assertTrue(dom.contains("insert_identity"), "the table of changes");
    }

    @Test
    void comparisonDrawsEveryChart() throws Exception {
        String dom = render(out.resolve("comparison.html"), "comparison.png");
        // 4 metrics for each of 2 protocols, 3 cost metrics
        assertAllChartsRendered(dom, 11);
        assertTrue(dom.contains("href=\"er/given/seed-2/report.html\""), "no link to a run's report");
    }

    @Test
    void textFromTheUserStaysText() throws Exception {
        String dom = render(nasty.resolve("report.html"), null);
        assertAllChartsRendered(dom, 7);
        assertFalse(dom.contains("<b id=\"injected\">"), "the run name became markup");
        assertTrue(dom.contains("&lt;/script&gt;&lt;b id=\"injected\"&gt;bold&lt;/b&gt;"), "the run name is not shown as text");
    }

    private static void assertAllChartsRendered(String dom, int expected) {
        Matcher body = Pattern.compile("<body[^>]*>").matcher(dom);
        assertTrue(body.find(), "no body in the DOM");
        assertFalse(body.group().contains("data-error"), "the page reported an error: " + body.group());
        assertTrue(body.group().contains("data-ready=\"true\""), "the page script did not finish: " + body.group());
        assertTrue(body.group().contains("data-charts=\"" + expected + "\""), body.group());
        List<Integer> starts = new ArrayList<>();
        Matcher chart = CHART.matcher(dom);
        while (chart.find()) {
            assertTrue(chart.group().contains("data-rendered=\"true\""), "a chart was not drawn: " + chart.group());
            starts.add(chart.end());
        }
        assertEquals(expected, starts.size(), "chart containers");
        starts.add(dom.length());
        for (int i = 0; i < expected; i++) {
            String inside = dom.substring(starts.get(i), starts.get(i + 1));
            assertTrue(inside.contains("<svg"), "chart " + (i + 1) + " has no SVG");
        }
    }

    /**
     * @param page an HTML file
     * @param screenshot a file name under target/report-screenshots/, or null
     * @return the DOM after the scripts ran
     */
    private static String render(Path page, String screenshot) throws Exception {
        String dom = chromium(page, "--dump-dom");
        if (screenshot != null) {
            Path dir = Files.createDirectories(Path.of("target/report-screenshots"));
            chromium(page, "--screenshot=" + dir.resolve(screenshot).toAbsolutePath(), "--window-size=1400,2400");
        }
        return dom;
    }

    private static String chromium(Path page, String... what) throws Exception {
        Path profile = Files.createTempDirectory(tmp, "chromium-");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--virtual-time-budget=5000"));
        cmd.addAll(List.of(what));
        cmd.add(page.toUri().toString());
        Path stdout = Files.createTempFile(tmp, "chromium-", ".out");
        Path stderr = Files.createTempFile(tmp, "chromium-", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 90s: " + cmd);
        }
        assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(stderr, StandardCharsets.UTF_8));
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }
}
