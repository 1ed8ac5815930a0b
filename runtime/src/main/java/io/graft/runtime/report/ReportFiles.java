package io.graft.runtime.report;

import io.graft.runtime.UserException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes report files whole or not at all: beside the target first, then moved over it. */
final class ReportFiles {

    private ReportFiles() {}

    /**
     * @param file the target
     * @param text its content
     * @return the target
     * @throws UserException (INTERNAL) when the folder is not writable
     */
    static Path write(Path file, String text) {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(partial, text, StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserException(UserException.INTERNAL, "cannot write " + file + " (" + e.getMessage()
                    + "); check that the output folder is writable", e);
        }
        return file;
    }
}
