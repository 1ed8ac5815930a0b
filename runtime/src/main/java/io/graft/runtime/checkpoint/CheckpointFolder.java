package io.graft.runtime.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a run's checkpoint lives, {@code DIR/checkpoint/}, and how it is replaced atomically: the new one is written
 * into {@code checkpoint.new/} and closed with a {@code COMPLETE} marker; then the old folder is moved aside, the new
 * one moved in, and the old one deleted. A crash at any moment leaves a complete checkpoint to resume from: the
 * current folder, or, before or between the two moves, the complete new (or old) one, which {@link #latest()} finds.
 */
public final class CheckpointFolder {

    /** The marker file that closes a complete checkpoint. */
    public static final String COMPLETE = "COMPLETE";

    private final Path current;
    private final Path fresh;
    private final Path old;

    /** @param runDir the run's output folder */
    public CheckpointFolder(Path runDir) {
        this.current = runDir.resolve("checkpoint");
        this.fresh = runDir.resolve("checkpoint.new");
        this.old = runDir.resolve("checkpoint.old");
    }

    /**
     * @return an empty folder to write the next checkpoint into (a leftover partial one is removed first)
     * @throws UncheckedIOException when it cannot be made
     */
    public Path begin() {
        try {
            delete(fresh);
            Files.createDirectories(fresh);
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + fresh, e);
        }
    }

    /**
     * Closes the folder {@link #begin()} gave and makes it the current checkpoint.
     *
     * @throws UncheckedIOException when a move fails (the previous checkpoint is then still there)
     */
    public void commit() {
        try {
            Files.writeString(fresh.resolve(COMPLETE), "");
            delete(old);
            if (Files.exists(current)) {
                Files.move(current, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(fresh, current, StandardCopyOption.ATOMIC_MOVE);
            delete(old);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit the checkpoint " + current, e);
        }
    }

    /**
     * Removes every checkpoint of an earlier run in the same folder (a fresh run must not be resumed from them).
     *
     * @throws UncheckedIOException when they cannot be removed
     */
    public void clear() {
        try {
            delete(fresh);
            delete(current);
            delete(old);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the old checkpoint " + current, e);
        }
    }

    /** @return the newest complete checkpoint folder, if any */
    public Optional<Path> latest() {
        // a complete new one is newer than the current one (a crash before it was moved in)
        for (Path p : new Path[] {fresh, current, old}) {
            if (Files.isRegularFile(p.resolve(COMPLETE))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
