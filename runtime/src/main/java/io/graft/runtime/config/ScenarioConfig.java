package io.graft.runtime.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How the data set becomes a sequence of tasks. Only the binding and the defaults live here; the checks
 * that need the data or the task count (a class the data lacks, an order that is no permutation of the
 * tasks, an angle list of the wrong length) are made by {@code io.graft.runtime.scenario.Scenarios}, each
 * as one line naming the key and the fix.
 *
 * @param type {@code split} (disjoint classes per task; evaluated class-IL and task-IL), {@code permuted}
 *     (all classes, a fixed pixel permutation per task; evaluated domain-IL) or {@code rotated} (all classes,
 *     every image rotated by a fixed angle per task; evaluated domain-IL)
 * @param tasks number of tasks (default 5)
 * @param classesPerTask classes in each task of a split scenario (default 2)
 * @param classOrder the order in which classes are dealt out to split tasks (default label order)
 * @param angles rotated only: the angle of each task in degrees, counter-clockwise, one per task (default:
 *     {@code tasks} angles evenly spaced over [0, 180) starting at 0, i.e. {@code t * 180 / tasks})
 * @param order the order in which the dealt tasks are trained (default {@link Order#GIVEN}: as dealt)
 * @param orderSeed {@code order: random} only: the seed of the shuffle (default: the run's seed)
 */
public record ScenarioConfig(Type type, Integer tasks, Integer classesPerTask, List<Integer> classOrder,
                             List<Double> angles, Order order, Long orderSeed) {

    /** Fills in defaults. */
    @JsonCreator
    public ScenarioConfig {
        type = type == null ? Type.SPLIT : type;
        tasks = tasks == null ? 5 : tasks;
        classesPerTask = classesPerTask == null ? 2 : classesPerTask;
        classOrder = classOrder == null ? null : Collections.unmodifiableList(new ArrayList<>(classOrder));
        angles = angles == null ? null : Collections.unmodifiableList(new ArrayList<>(angles));
        order = order == null ? Order.GIVEN : order;
    }

    /**
     * The configuration of earlier versions: tasks trained as dealt, default angles.
     *
     * @param type the scenario family (default split)
     * @param tasks number of tasks (default 5)
     * @param classesPerTask classes per split task (default 2)
     * @param classOrder classes in dealing order (default label order)
     */
    public ScenarioConfig(Type type, Integer tasks, Integer classesPerTask, List<Integer> classOrder) {
        this(type, tasks, classesPerTask, classOrder, null, null, null);
    }

    /** The scenario family. */
    public enum Type {
        /** Disjoint classes per task. */
        SPLIT,
        /** Same classes, a pixel permutation per task. */
        PERMUTED,
        /** Same classes, a rotation of the image per task. */
        ROTATED;

        @JsonCreator
        static Type parse(String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        }

        @JsonValue
        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * {@code scenario.order}: a rule name ({@code given}, {@code random}, {@code easy-to-hard},
     * {@code hard-to-easy}) or an explicit list of task indices. Binding accepts any name and any list of
     * whole numbers; {@code Scenarios} validates them against the task count, so that a mistake is reported
     * as one line naming {@code scenario.order}.
     */
    public static final class Order {

        /** The rule names, in the order the documentation lists them. */
        public static final List<String> RULES = List.of("given", "random", "easy-to-hard", "hard-to-easy");

        /** As dealt (the default). */
        public static final Order GIVEN = new Order("given", null);
        /** Shuffled from {@code scenario.orderSeed}, or from the run's seed. */
        public static final Order RANDOM = new Order("random", null);
        /** Ascending measured difficulty (the easiest task first). */
        public static final Order EASY_TO_HARD = new Order("easy-to-hard", null);
        /** Descending measured difficulty (the hardest task first). */
        public static final Order HARD_TO_EASY = new Order("hard-to-easy", null);

        private final String name;
        private final List<Integer> indices;

        private Order(String name, List<Integer> indices) {
            this.name = name;
            this.indices = indices;
        }

        /**
         * @param name a rule name; trimmed and lower-cased, not validated here
         * @return the order
         */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Order named(String name) {
            return new Order(Objects.requireNonNull(name, "name").trim().toLowerCase(Locale.ROOT), null);
        }

        /**
         * @param indices the dealt index of the task trained first, second, ...; not validated here
         * @return the order
         */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Order of(List<Integer> indices) {
            return new Order(null, Collections.unmodifiableList(new ArrayList<>(indices)));
        }

        /** @return whether this is an explicit list of task indices */
        public boolean isExplicit() {
            return indices != null;
        }

        /** @return the rule name, or {@code null} for an explicit list */
        public String name() {
            return name;
        }

        /** @return the explicit task indices (entries may be null), or {@code null} for a rule */
        public List<Integer> indices() {
            return indices;
        }

        /** @return the rule name or the list, as written in YAML */
        @JsonValue
        public Object value() {
            return indices != null ? indices : name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Order other && Objects.equals(name, other.name)
                    && Objects.equals(indices, other.indices);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, indices);
        }

        @Override
        public String toString() {
            return String.valueOf(value());
        }
    }
}
