package io.graft.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graft.runtime.UserException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code graft summary DIR...}: one table row per finished run, read from its {@code summary.json}. */
final class SummaryCommand {

    private static final String[] PROTOCOLS = {"class_il", "task_il", "domain_il"};

    private final PrintStream out;

    SummaryCommand(PrintStream out) {
        this.out = out;
    }

    int execute(List<String> dirs) {
        if (dirs.isEmpty()) {
            throw new UserException(UserException.BAD_CONFIG, "usage: graft summary DIR [DIR ...] (run folders with a summary.json)");
        }
        List<JsonNode> summaries = new ArrayList<>();
        for (String dir : dirs) {
            summaries.add(read(Path.of(dir).resolve("summary.json")));
        }
        out.println(String.format(Locale.ROOT, "%-16s %-12s %-10s %9s %11s %9s %9s %11s",
                "run", "plugins", "protocol", "avg acc", "forgetting", "bwt", "fwt", "samples/s"));
        for (JsonNode s : summaries) {
            List<String> ids = new ArrayList<>();
            s.path("plugins").forEach(p -> ids.add(p.path("id").asText()));
            String plugins = ids.isEmpty() ? "-" : String.join("+", ids);
            for (String protocol : PROTOCOLS) {
                JsonNode p = s.path(protocol);
                if (p.isMissingNode()) {
                    continue;
                }
                out.println(String.format(Locale.ROOT, "%-16s %-12s %-10s %9.4f %11.4f %9.4f %9.4f %11.0f",
                        s.path("name").asText(), plugins, protocol, p.path("average_accuracy").asDouble(),
                        p.path("forgetting").asDouble(), p.path("bwt").asDouble(), p.path("fwt").asDouble(),
                        s.path("train_samples_per_second").asDouble()));
            }
        }
        return 0;
    }

    private static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserException(UserException.BAD_DATA, file + " does not exist; give folders of finished runs");
        }
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UserException(UserException.BAD_DATA, file + " is not a complete summary (invalid JSON); "
                    + "give folders of finished runs");
        }
    }
}
