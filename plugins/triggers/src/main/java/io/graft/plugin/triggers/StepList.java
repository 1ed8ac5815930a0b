package io.graft.plugin.triggers;

import java.util.Optional;

/**
 * Reads the {@code steps} of a schedule, written {@code 1000, 2000}: the api's configuration keys have no
 * list type, so the list travels as one string (a YAML plain scalar with commas is a string already).
 */
final class StepList {

    private StepList() {}

    /**
     * @param text whole steps >= 1, in increasing order, separated by commas
     * @return the steps, or empty when {@code text} is not such a list (blank included)
     */
    static Optional<long[]> parse(String text) {
        String[] parts = text.split(",", -1);
        long[] steps = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                steps[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (steps[i] < 1 || (i > 0 && steps[i] <= steps[i - 1])) {
                return Optional.empty();
            }
        }
        return Optional.of(steps);
    }
}
