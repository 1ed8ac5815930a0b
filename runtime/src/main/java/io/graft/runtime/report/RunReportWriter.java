package io.graft.runtime.report;

import java.nio.file.Path;

/**
 * Writes a finished run's {@code report.html}: one self-contained page (ECharts inlined, no network needed
 * to view it) with the run's headline numbers, accuracy matrices, accuracy of each task over time, training
 * loss, plugin metrics, memory and config, all read back from {@code summary.json} and {@code metrics.jsonl}.
 */
public final class RunReportWriter {

    /** The file name inside the run folder. */
    public static final String FILE = "report.html";

    private RunReportWriter() {}

    /**
     * @param dir a run folder with {@code summary.json} (and normally {@code metrics.jsonl})
     * @return the written file
     * @throws io.graft.runtime.UserException when the summary is missing or the folder is not writable
     */
    public static Path write(Path dir) {
        RunReport report = RunReport.of(RunFiles.read(dir));
        String page = HtmlPage.render("run-report.html", report.name(), report);
        return ReportFiles.write(dir.resolve(FILE), page);
    }
}
