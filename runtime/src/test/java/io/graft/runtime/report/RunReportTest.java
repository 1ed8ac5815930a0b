package io.graft.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graft.runtime.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {

    private static final String NASTY = "a</script><script>alert(1)</script>\"'&<!--{{data}}\u2028";

    @TempDir
    Path tmp;

    @Test
    void modelComesFromSummaryAndMetricsLines() {
        RunReport r = RunReport.of(RunFiles.read(RunFolders.run(tmp.resolve("run"), "er", 0.65, 1000, 300, 320)));
        assertEquals("er", r.name());
        assertEquals(3L, r.seed());
        assertEquals(List.of("classes 0,1", "classes 2,3"), r.tasks());
        assertEquals(List.of("class_il", "task_il"), r.protocols().stream().map(RunReport.ProtocolResult::key).toList());
        assertEquals(List.of(0.4, 0.95), r.protocols().get(0).matrix().get(1));
        assertEquals(0.65, r.protocols().get(0).averageAccuracy());
        assertNull(r.protocols().get(1).forgetting(), "a NaN becomes null");
        assertEquals(320.0, r.peakRssMb());
        assertEquals(List.of(0L, 4L), r.taskStarts());
        // loss per task; the null loss of step 5 is left out
        assertEquals(List.of("T1", "T2"), r.loss().stream().map(RunReport.Series::name).toList());
        assertEquals(2, r.loss().get(0).points().size());
        assertEquals(1, r.loss().get(1).points().size());
        assertEquals(7.0, r.loss().get(1).points().get(0)[0]);
        assertEquals("er.buffer_size", r.pluginMetrics().get(0).name());
        assertEquals(2, r.pluginMetrics().get(0).points().size());
        assertEquals(2, r.memory().size());
        assertEquals(List.of(new RunReport.StructureChange(7, 1, "widen", "widen", "fc1", "64 -> 128 units, noise 0.0",
                50890, 101770)), r.structure());
        assertEquals("er", r.plugins().get(0).id());
        assertTrue(r.configYaml().contains("name: er"), r.configYaml());
    }

    @Test
    void pageIsSelfContainedAndCarriesTheModelSafely() throws IOException {
        Path run = RunFolders.run(tmp.resolve("run"), NASTY, 0.65, 1000, 300, 320);
        Path file = RunReportWriter.write(run);
        String page = Files.readString(file);
        // only our own script elements, none opened or closed by the data
        assertEquals(count(page, "<script"), count(page, "</script>"));
        assertEquals(4, count(page, "</script>"), "data, common, ECharts, page script");
        assertFalse(page.contains("alert(1)</script>"), "the name must not close a script element");
        assertFalse(page.contains("<script src"), "no external scripts");
        assertFalse(page.contains("<link"), "no external style sheets");
        assertTrue(page.contains("<title>a&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;&lt;!--{{data}}"),
                "the title is escaped and not expanded");
        assertTrue(page.contains("Apache ECharts") || page.contains("echarts"), "ECharts is inlined");
        JsonNode data = dataOf(page);
        assertEquals(NASTY, data.path("name").asText(), "the JSON in the page gives the name back exactly");
        assertEquals(0.95, data.path("protocols").path(0).path("matrix").path(1).path(1).asDouble());
        assertFalse(Files.exists(run.resolve("report.html.partial")));
    }

    @Test
    void aFolderWithoutSummaryIsOneLine() {
        UserException e = assertThrows(UserException.class, () -> RunReportWriter.write(tmp));
        assertEquals(UserException.BAD_DATA, e.exitCode());
        assertFalse(e.getMessage().contains("\n"));
    }

    static JsonNode dataOf(String page) throws IOException {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"graft-data\">(.*?)</script>", Pattern.DOTALL)
                .matcher(page);
        assertTrue(m.find(), "no data element");
        return new ObjectMapper().readTree(m.group(1));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
