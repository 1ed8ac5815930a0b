package io.graft.runtime.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * How the data set becomes a sequence of tasks.
 *
 * @param type {@code split} (disjoint classes per task; evaluated class-IL and task-IL) or {@code permuted}
 *     (all classes, a fixed pixel permutation per task; evaluated domain-IL)
 * @param tasks number of tasks (default 5)
 * @param classesPerTask classes in each task of a split scenario (default 2)
 * @param classOrder the order in which classes are dealt out to split tasks (default label order)
 */
public record ScenarioConfig(Type type, Integer tasks, Integer classesPerTask, List<Integer> classOrder) {

    /** Fills in defaults. */
    public ScenarioConfig {
        type = type == null ? Type.SPLIT : type;
        tasks = tasks == null ? 5 : tasks;
        classesPerTask = classesPerTask == null ? 2 : classesPerTask;
        classOrder = classOrder == null ? null : List.copyOf(classOrder);
    }

    /** The scenario family. */
    public enum Type {
        /** Disjoint classes per task. */
        SPLIT,
        /** Same classes, a pixel permutation per task. */
        PERMUTED;

        @JsonCreator
        static Type parse(String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        }

        @JsonValue
        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
