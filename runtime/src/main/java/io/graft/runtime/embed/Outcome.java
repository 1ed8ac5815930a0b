package io.graft.runtime.embed;

import io.graft.runtime.kernel.RunResult;
import java.nio.file.Path;

/**
 * What an embedded experiment gives back.
 *
 * @param result the accuracy matrices per protocol and the run's figures
 *     ({@code result.metrics(Protocol.CLASS_IL).averageAccuracy()}, ...)
 * @param dir the output folder, with {@code metrics.jsonl} and {@code report.html}
 * @param summary the {@code summary.json} written there
 */
public record Outcome(RunResult result, Path dir, Path summary) {
}
