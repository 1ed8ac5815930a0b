package io.graft.runtime.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes the tables of a {@code graft compare} grid into its output folder: {@code comparison.csv} (one row
 * per method × order, mean and standard deviation of every metric), {@code comparison.md} (the same for
 * people, and every run with its status and report) and {@code comparison.html} (a bar chart per metric with
 * standard-deviation error bars, the tables, links to each run's {@code report.html}).
 */
public final class ComparisonWriter {

    /** The Markdown table. */
    public static final String MARKDOWN = "comparison.md";
    /** The CSV table. */
    public static final String CSV = "comparison.csv";
    /** The charts. */
    public static final String HTML = "comparison.html";

    /**
     * The data model of {@code comparison.html}.
     *
     * @param title the comparison's name
     * @param file the compare file
     * @param base the base run config
     * @param seeds the seeds (empty: the base config's)
     * @param methods the methods, in order
     * @param orders the orders, in order
     * @param planned how many runs the grid has
     * @param metrics the metrics compared
     * @param rows per method × order
     * @param runs every recorded run
     */
    public record Page(String title, String file, String base, List<Long> seeds, List<String> methods,
                       List<String> orders, int planned, List<Comparison.Metric> metrics, List<Comparison.Row> rows,
                       List<RunLink> runs) {}

    /**
     * One run as the page lists it.
     *
     * @param method the method
     * @param order the order
     * @param seed the seed
     * @param report the run's {@code report.html}, relative to the page; {@code null} when it failed
     * @param failure {@code null}, or why it failed
     * @param exitCode 0, or the exit code of its failure
     * @param values its numbers by metric key
     */
    public record RunLink(String method, String order, long seed, String report, String failure, int exitCode,
                          Map<String, Double> values) {}

    private ComparisonWriter() {}

    /**
     * Writes (or rewrites, after each run) the three files.
     *
     * @param dir the grid's output folder
     * @param comparison what is recorded so far
     */
    public static void write(Path dir, Comparison comparison) {
        ReportFiles.write(dir.resolve(CSV), csv(comparison));
        ReportFiles.write(dir.resolve(MARKDOWN), markdown(comparison));
        ReportFiles.write(dir.resolve(HTML), HtmlPage.render("comparison.html", comparison.spec().name(),
                page(comparison)));
    }

    /**
     * @param c the comparison
     * @return RFC 4180 CSV: {@code method,order,finished,failed}, then {@code KEY_mean,KEY_std} per metric
     *     (dots in keys become underscores: {@code class_il_average_accuracy_mean}), then {@code failures};
     *     an absent number is an empty field
     */
    static String csv(Comparison c) {
        List<Comparison.Metric> metrics = c.metrics();
        StringBuilder out = new StringBuilder("method,order,finished,failed");
        for (Comparison.Metric m : metrics) {
            String key = m.key().replace('.', '_');
            out.append(',').append(key).append("_mean,").append(key).append("_std");
        }
        out.append(",failures\r\n");
        for (Comparison.Row row : c.rows()) {
            out.append(csvField(row.method())).append(',').append(csvField(row.order())).append(',')
                    .append(row.finished()).append(',').append(row.failed());
            for (Comparison.Metric m : metrics) {
                MeanStd s = row.stats().get(m.key());
                out.append(',').append(s.mean() == null ? "" : Double.toString(s.mean()))
                        .append(',').append(s.std() == null ? "" : Double.toString(s.std()));
            }
            out.append(',').append(csvField(String.join("; ", row.failures()))).append("\r\n");
        }
        return out.toString();
    }

    /**
     * @param c the comparison
     * @return the Markdown page: a table per protocol, a cost table, then every run
     */
    static String markdown(Comparison c) {
        CompareSpec spec = c.spec();
        List<Comparison.Row> rows = c.rows();
        List<Comparison.Outcome> outcomes = c.outcomes();
        long finished = outcomes.stream().filter(Comparison.Outcome::ok).count();
        StringBuilder out = new StringBuilder();
        out.append("# Comparison: ").append(md(spec.name())).append("\n\n");
        out.append("Grid `").append(md(spec.file().getFileName().toString())).append("`: base config `")
                .append(md(spec.base().toString())).append("`; methods ").append(md(String.join(", ", spec.methods().keySet())))
                .append("; orders ").append(md(String.join(", ", spec.orders().keySet()))).append("; seeds ")
                .append(spec.seeds().isEmpty() ? "of the base config" : spec.seeds().stream().map(String::valueOf)
                        .collect(Collectors.joining(", ")))
                .append(".\n").append(finished).append(" of ").append(c.planned()).append(" runs finished")
                .append(outcomes.size() > finished ? ", " + (outcomes.size() - finished) + " failed" : "")
                .append(". Numbers are mean ± sample standard deviation over the seeds that finished.\n");
        for (String protocol : c.protocols()) {
            table(out, "## " + protocol, rows, c.metrics().stream().filter(m -> protocol.equals(m.protocol())).toList());
        }
        table(out, "## Cost (peak RSS: the process's largest resident size at a task end)", rows,
                c.metrics().stream().filter(m -> m.protocol() == null).toList());
        out.append("\n## Runs\n\n| method | order | seed | status |");
        for (String protocol : c.protocols()) {
            out.append(' ').append(protocol).append(" average accuracy |");
        }
        out.append(" report |\n|---|---|---|---|").append("---|".repeat(c.protocols().size())).append("---|\n");
        for (Comparison.Outcome o : outcomes) {
            out.append("| ").append(md(o.cell().method())).append(" | ").append(md(o.cell().order())).append(" | ")
                    .append(o.cell().seed()).append(" | ")
                    .append(o.ok() ? "finished" : "failed (exit " + o.exitCode() + "): " + md(o.failure())).append(" |");
            for (String protocol : c.protocols()) {
                Double v = o.values().get(protocol + ".average_accuracy");
                out.append(' ').append(v == null ? "" : String.format(Locale.ROOT, "%.4f", v)).append(" |");
            }
            out.append(o.ok() ? " [report](" + o.cell().relativeDir() + "/" + RunReportWriter.FILE + ") |\n" : " |\n");
        }
        return out.toString();
    }

    private static void table(StringBuilder out, String heading, List<Comparison.Row> rows,
                              List<Comparison.Metric> metrics) {
        out.append('\n').append(heading).append("\n\n| method | order | runs |");
        metrics.forEach(m -> out.append(' ').append(md(m.label())).append(" |"));
        out.append("\n|---|---|---|").append("---:|".repeat(metrics.size())).append('\n');
        for (Comparison.Row row : rows) {
            out.append("| ").append(md(row.method())).append(" | ").append(md(row.order())).append(" | ")
                    .append(row.finished()).append('/').append(row.finished() + row.failed())
                    .append(row.failed() > 0 ? " (" + row.failed() + " failed)" : "").append(" |");
            for (Comparison.Metric m : metrics) {
                out.append(' ').append(format(row.stats().get(m.key()), m.decimals())).append(" |");
            }
            out.append('\n');
        }
    }

    private static Page page(Comparison c) {
        CompareSpec spec = c.spec();
        List<RunLink> runs = c.outcomes().stream().map(o -> new RunLink(o.cell().method(), o.cell().order(),
                o.cell().seed(), o.ok() ? o.cell().relativeDir() + "/" + RunReportWriter.FILE : null, o.failure(),
                o.exitCode(), o.values())).toList();
        return new Page(spec.name(), spec.file().getFileName().toString(), spec.base().toString(), spec.seeds(),
                List.copyOf(spec.methods().keySet()), List.copyOf(spec.orders().keySet()), c.planned(), c.metrics(),
                c.rows(), runs);
    }

    private static String format(MeanStd s, int decimals) {
        if (s.mean() == null) {
            return "–";
        }
        String f = "%." + decimals + "f";
        String mean = String.format(Locale.ROOT, f, s.mean());
        return s.std() == null ? mean : mean + " ± " + String.format(Locale.ROOT, f, s.std());
    }

    /** A Markdown table cell: no line breaks, no column separators, no markup. */
    private static String md(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ").replace("\\", "\\\\").replace("|", "\\|")
                .replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String csvField(String text) {
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
