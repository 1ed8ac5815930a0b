package io.graft.runtime.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graft.runtime.UserException;
import io.graft.runtime.metrics.MetricsJsonlWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A run folder read back: its {@code summary.json} and the lines of its {@code metrics.jsonl}. Reports are
 * made from these files, not from objects in memory, so that what a report shows is what the run recorded.
 *
 * @param dir the run folder
 * @param summary the parsed {@code summary.json}
 * @param events the parsed lines of {@code metrics.jsonl} in order (empty when the file is absent; a line
 *     that is not JSON, such as a last line cut short, is skipped)
 */
public record RunFiles(Path dir, JsonNode summary, List<JsonNode> events) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Copies the list. */
    public RunFiles {
        events = List.copyOf(events);
    }

    /**
     * @param dir a folder holding a finished run
     * @return its files
     * @throws UserException (BAD_DATA) when it has no readable {@code summary.json}
     */
    public static RunFiles read(Path dir) {
        Path summaryFile = dir.resolve(SummaryWriter.FILE);
        JsonNode summary;
        try {
            summary = JSON.readTree(summaryFile.toFile());
        } catch (IOException e) {
            throw new UserException(UserException.BAD_DATA, summaryFile + " is missing or not valid JSON ("
                    + e.getClass().getSimpleName() + "); give the folder of a finished run", e);
        }
        List<JsonNode> events = new ArrayList<>();
        Path metrics = dir.resolve(MetricsJsonlWriter.FILE);
        if (Files.isRegularFile(metrics)) {
            try {
                for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
                    try {
                        JsonNode node = JSON.readTree(line);
                        if (node != null && node.isObject()) {
                            events.add(node);
                        }
                    } catch (JsonProcessingException e) {
                        // a line cut short by a crash: what was written before it still counts
                    }
                }
            } catch (IOException e) {
                throw new UserException(UserException.BAD_DATA, "cannot read " + metrics + ": " + e.getMessage(), e);
            }
        }
        return new RunFiles(dir, summary, events);
    }

    /**
     * @param type a line type of {@code metrics.jsonl} ({@code step}, {@code eval}, {@code task_end}, ...)
     * @return the lines of that type, in order
     */
    public List<JsonNode> events(String type) {
        return events.stream().filter(e -> type.equals(e.path("type").asText())).toList();
    }

    /** @return the protocols the run was evaluated under, in the order of {@code summary.json} */
    public List<String> protocols() {
        List<String> out = new ArrayList<>();
        summary.fieldNames().forEachRemaining(key -> {
            if (summary.path(key).has("accuracy_matrix")) {
                out.add(key);
            }
        });
        return out;
    }

    /** @return the largest resident size at a task end ({@code rss_mb} of the {@code task_end} lines), if recorded */
    public OptionalDouble peakRssMb() {
        return events("task_end").stream().filter(e -> e.path("rss_mb").isNumber())
                .mapToDouble(e -> e.path("rss_mb").asDouble()).max();
    }

    /**
     * @param node a JSON value
     * @return its number, or {@code null} for anything else (a missing key, {@code null}, a non-finite number
     *     that Jackson wrote as the string {@code "NaN"})
     */
    static Double number(JsonNode node) {
        return node != null && node.isNumber() && Double.isFinite(node.asDouble()) ? node.asDouble() : null;
    }
}
