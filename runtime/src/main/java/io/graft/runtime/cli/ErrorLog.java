package io.graft.runtime.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Keeps stack traces out of the terminal: they go to {@code graft-error.log} in the current folder (or the run's folder). */
final class ErrorLog {

    private static volatile Path target = Path.of("graft-error.log");

    private ErrorLog() {}

    /** Sends later traces to the given file (the run's output folder once it exists). */
    static void useFile(Path file) {
        target = file;
    }

    /** @return where the trace went, or {@code null} if it could not be written */
    static String write(Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        try {
            Files.writeString(target, Instant.now() + " " + trace + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return target.toAbsolutePath().toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
