package io.graft.runtime.scenario;

import io.graft.api.Protocol;
import io.graft.api.model.TaskInfo;
import io.graft.runtime.UserException;
import io.graft.runtime.config.ScenarioConfig;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Builds a {@link Scenario} from its configuration and the data.
 *
 * <ul>
 *   <li><b>split</b>: the classes of {@code scenario.classOrder} (default: every label of the data,
 *       ascending) are dealt out in chunks of {@code scenario.classesPerTask} to {@code scenario.tasks}
 *       tasks; a task trains and tests on the samples of its classes. {@code classOrder} lists labels the
 *       data has, each at most once, at least {@code tasks × classesPerTask} of them (extra ones are
 *       unused). Evaluated {@link Protocol#CLASS_IL} and {@link Protocol#TASK_IL}.</li>
 *   <li><b>permuted</b>: every task has every class and sample; task 0 sees the images as they are, task
 *       {@code t > 0} through a fixed pixel permutation drawn from the seed. Evaluated
 *       {@link Protocol#DOMAIN_IL}.</li>
 *   <li><b>rotated</b>: every task has every class and sample, each image rotated by the task's angle
 *       ({@code scenario.angles}, one per task; default {@code t × 180 / tasks} degrees, so 0, 36, 72, 108,
 *       144 for 5 tasks) counter-clockwise about its centre, bilinear, zero fill
 *       ({@link SamplingMap#rotation}). Evaluated {@link Protocol#DOMAIN_IL}.</li>
 * </ul>
 *
 * <p>The tasks are dealt first (their names say which: {@code "classes 8,9"}, {@code "permutation 3"},
 * {@code "rotation 36"}), then put in training order by {@code scenario.order}: {@code given} (as dealt),
 * a list of the dealt indices (a permutation of {@code 0..tasks-1}), {@code random} (shuffled from
 * {@code scenario.orderSeed}, default the run's seed), or {@code easy-to-hard} / {@code hard-to-easy} by the
 * measured {@link TaskDifficulty} (ties keep the dealt order). The order never changes what a task is: a
 * permutation belongs to its dealt index, and for split scenarios {@code classOrder} decides the class
 * groups while {@code order} decides when each group is trained.
 *
 * <p>Configuration errors are {@link UserException}s with {@link UserException#BAD_CONFIG}, one line naming
 * the key and the fix.
 */
public final class Scenarios {

    private static final long PERMUTATION_SALT = 0x7065726d75746564L;
    private static final long ORDER_SALT = 0x6f726465725f7461L;

    private Scenarios() {}

    /**
     * @param config the scenario's configuration
     * @param data the images
     * @param seed the run's seed (permutations and a random order derive from it)
     * @return the scenario
     * @throws UserException (BAD_CONFIG) for a configuration the data cannot satisfy, (BAD_DATA) when a
     *     task would have no test samples
     */
    public static Scenario create(ScenarioConfig config, ImageData data, long seed) {
        check(config);
        Dealt dealt = switch (config.type()) {
            case SPLIT -> split(config, data);
            case PERMUTED -> permuted(config, data, seed);
            case ROTATED -> rotated(config, data);
        };
        int n = config.tasks();
        ScenarioConfig.Order rule = config.order();
        double[] measured = null;
        int[] order;
        String ruleName;
        if (rule.isExplicit()) {
            order = rule.indices().stream().mapToInt(Integer::intValue).toArray();
            ruleName = "explicit";
        } else {
            ruleName = rule.name();
            switch (ruleName) {
                case "given" -> order = range(n);
                case "random" -> order = shuffled(n, config.orderSeed() != null ? config.orderSeed() : seed);
                case "easy-to-hard", "hard-to-easy" -> {
                    measured = Scenario.measure(data, dealt.classes(), dealt.train(), dealt.test(), dealt.maps());
                    order = byDifficulty(measured, ruleName.equals("hard-to-easy"));
                }
                default -> throw new IllegalStateException("unchecked order " + ruleName);
            }
        }
        List<TaskInfo> infos = new ArrayList<>();
        int[][] train = new int[n][];
        int[][] test = new int[n][];
        SamplingMap[] maps = new SamplingMap[n];
        double[] angles = dealt.angles() == null ? null : new double[n];
        double[] difficulties = measured == null ? null : new double[n];
        for (int t = 0; t < n; t++) {
            int d = order[t];
            infos.add(new TaskInfo(t, dealt.names().get(d), dealt.classes()[d]));
            train[t] = dealt.train()[d];
            test[t] = dealt.test()[d];
            maps[t] = dealt.maps()[d];
            if (angles != null) {
                angles[t] = dealt.angles()[d];
            }
            if (difficulties != null) {
                difficulties[t] = measured[d];
            }
        }
        return new Scenario(config.type(), data, infos, dealt.protocols(), train, test, maps, numClasses(data),
                order, ruleName, angles, difficulties);
    }

    /**
     * The checks that need neither the data nor the run's seed: the task count, keys that do not apply to the
     * scenario type, the angle list, the order. {@link #create} makes them first; a caller may make them
     * earlier, when the config is loaded.
     *
     * @param config the scenario's configuration
     * @throws UserException (BAD_CONFIG) naming the key and the fix
     */
    public static void check(ScenarioConfig config) {
        int n = config.tasks();
        if (n < 1) {
            throw badConfig("scenario.tasks must be at least 1, got " + n);
        }
        if (config.classOrder() != null && config.type() != ScenarioConfig.Type.SPLIT) {
            throw badConfig("scenario.classOrder applies to split scenarios only; remove it or set"
                    + " scenario.type: split");
        }
        List<Double> angles = config.angles();
        if (angles != null) {
            if (config.type() != ScenarioConfig.Type.ROTATED) {
                throw badConfig("scenario.angles applies to rotated scenarios only; remove it or set"
                        + " scenario.type: rotated");
            }
            if (angles.size() != n) {
                throw badConfig("scenario.angles lists " + angles.size() + (angles.size() == 1 ? " angle" : " angles")
                        + " but scenario.tasks is " + n + "; list one angle per task, or remove scenario.angles"
                        + " for " + describeDefaultAngles(n));
            }
            for (int i = 0; i < n; i++) {
                Double a = angles.get(i);
                if (a == null || !Double.isFinite(a)) {
                    throw badConfig("scenario.angles." + i + " is " + a + "; give every angle as a finite number"
                            + " of degrees");
                }
            }
        }
        ScenarioConfig.Order order = config.order();
        String fix = "list each task index 0.." + (n - 1) + " exactly once, e.g. " + reversed(n);
        if (order.isExplicit()) {
            List<Integer> indices = order.indices();
            boolean[] seen = new boolean[n];
            for (Integer i : indices) {
                if (i == null || i < 0 || i >= n) {
                    throw badConfig("scenario.order names task " + i + ", but the tasks are numbered 0.."
                            + (n - 1) + "; " + fix);
                }
                if (seen[i]) {
                    throw badConfig("scenario.order lists task " + i + " twice; " + fix);
                }
                seen[i] = true;
            }
            if (indices.size() != n) {
                throw badConfig("scenario.order lists " + indices.size() + " of the " + n + " tasks; " + fix);
            }
        } else if (!ScenarioConfig.Order.RULES.contains(order.name())) {
            throw badConfig("scenario.order is '" + order.name() + "'; use " + String.join(", ",
                    ScenarioConfig.Order.RULES.subList(0, ScenarioConfig.Order.RULES.size() - 1)) + " or "
                    + ScenarioConfig.Order.RULES.get(ScenarioConfig.Order.RULES.size() - 1)
                    + ", or list the task indices in training order, e.g. " + reversed(n));
        }
        if (config.orderSeed() != null && !ScenarioConfig.Order.RANDOM.equals(order)) {
            throw badConfig("scenario.orderSeed applies to scenario.order: random only; remove it or set"
                    + " scenario.order: random");
        }
    }

    /**
     * @param tasks the number of tasks
     * @return the default angles of a rotated scenario: {@code t * 180 / tasks} degrees for task {@code t}
     */
    public static double[] defaultAngles(int tasks) {
        double[] a = new double[tasks];
        for (int t = 0; t < tasks; t++) {
            a[t] = t * 180.0 / tasks;
        }
        return a;
    }

    /** The tasks as dealt, before ordering. */
    private record Dealt(List<String> names, int[][] classes, int[][] train, int[][] test, SamplingMap[] maps,
                         double[] angles, List<Protocol> protocols) {}

    private static Dealt split(ScenarioConfig config, ImageData data) {
        int tasks = config.tasks();
        int perTask = config.classesPerTask();
        if (perTask < 1) {
            throw badConfig("scenario.classesPerTask must be at least 1, got " + perTask);
        }
        int[] present = data.train().classes();
        List<Integer> order = config.classOrder();
        if (order == null) {
            order = Arrays.stream(present).boxed().toList();
        } else {
            boolean[] seen = new boolean[256];
            for (Integer c : order) {
                if (c == null || c < 0 || c > 255 || Arrays.binarySearch(present, c) < 0) {
                    throw badConfig("scenario.classOrder names class " + c + ", which the training data does not"
                            + " have (its classes are " + list(present) + "); list only those classes");
                }
                if (seen[c]) {
                    throw badConfig("scenario.classOrder lists class " + c + " twice; list each class at most"
                            + " once");
                }
                seen[c] = true;
            }
        }
        long needed = (long) tasks * perTask;
        if (needed > order.size()) {
            String source = config.classOrder() == null ? "the data has " + order.size() + " classes"
                    : "scenario.classOrder lists " + order.size();
            throw badConfig("scenario.tasks x scenario.classesPerTask = " + tasks + " x " + perTask + " = "
                    + needed + " classes, but " + source + "; lower scenario.tasks or scenario.classesPerTask");
        }
        List<String> names = new ArrayList<>();
        int[][] taskClasses = new int[tasks][];
        int[][] train = new int[tasks][];
        int[][] test = new int[tasks][];
        for (int t = 0; t < tasks; t++) {
            int[] classes = new int[perTask];
            for (int k = 0; k < perTask; k++) {
                classes[k] = order.get(t * perTask + k);
            }
            names.add("classes " + Arrays.stream(classes).mapToObj(String::valueOf).collect(Collectors.joining(",")));
            taskClasses[t] = classes;
            train[t] = samplesOf(data.train(), classes);
            test[t] = samplesOf(data.test(), classes);
            if (test[t].length == 0) {
                throw new UserException(UserException.BAD_DATA, "data: the test set has no samples of classes "
                        + list(classes) + " (task " + t + "); use a test set with every class, or change"
                        + " scenario.classOrder");
            }
        }
        return new Dealt(names, taskClasses, train, test, new SamplingMap[tasks], null,
                List.of(Protocol.CLASS_IL, Protocol.TASK_IL));
    }

    private static Dealt permuted(ScenarioConfig config, ImageData data, long seed) {
        int tasks = config.tasks();
        requireSamples(data);
        int f = data.featureSize();
        Random random = new Random(mix(seed, PERMUTATION_SALT));
        List<String> names = new ArrayList<>();
        SamplingMap[] maps = new SamplingMap[tasks];
        for (int t = 0; t < tasks; t++) {
            names.add(t == 0 ? "identity" : "permutation " + t);
            if (t > 0) {
                int[] p = range(f);
                for (int i = f - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int tmp = p[i];
                    p[i] = p[j];
                    p[j] = tmp;
                }
                maps[t] = SamplingMap.permutation(p);
            }
        }
        return everyClass(data, names, maps, null, tasks);
    }

    private static Dealt rotated(ScenarioConfig config, ImageData data) {
        int tasks = config.tasks();
        requireSamples(data);
        double[] angles = config.angles() == null ? defaultAngles(tasks)
                : config.angles().stream().mapToDouble(Double::doubleValue).toArray();
        int rows = data.train().rows();
        int cols = data.train().cols();
        List<String> names = new ArrayList<>();
        SamplingMap[] maps = new SamplingMap[tasks];
        for (int t = 0; t < tasks; t++) {
            names.add("rotation " + degrees(angles[t]));
            SamplingMap m = SamplingMap.rotation(rows, cols, angles[t]);
            maps[t] = m.isIdentity() ? null : m;
        }
        return everyClass(data, names, maps, angles, tasks);
    }

    /** Domain-incremental tasks: every class and every sample, a transform each. */
    private static Dealt everyClass(ImageData data, List<String> names, SamplingMap[] maps, double[] angles,
                                    int tasks) {
        int[] classes = data.train().classes();
        int[] allTrain = range(data.train().size());
        int[] allTest = range(data.test().size());
        int[][] taskClasses = new int[tasks][];
        int[][] train = new int[tasks][];
        int[][] test = new int[tasks][];
        for (int t = 0; t < tasks; t++) {
            taskClasses[t] = classes;
            train[t] = allTrain;
            test[t] = allTest;
        }
        return new Dealt(names, taskClasses, train, test, maps, angles, List.of(Protocol.DOMAIN_IL));
    }

    private static void requireSamples(ImageData data) {
        if (data.test().size() == 0 || data.train().size() == 0) {
            throw new UserException(UserException.BAD_DATA, "data: the training or test set is empty; use a"
                    + " complete MNIST-format data set");
        }
    }

    private static int[] shuffled(int n, long seed) {
        Random random = new Random(mix(seed, ORDER_SALT));
        int[] p = range(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    /** Dealt indices sorted by difficulty, ascending or descending; ties keep the dealt order. */
    static int[] byDifficulty(double[] difficulty, boolean hardestFirst) {
        Integer[] idx = new Integer[difficulty.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Comparator<Integer> easiest = (a, b) -> Double.compare(difficulty[a], difficulty[b]);
        Arrays.sort(idx, hardestFirst ? easiest.reversed() : easiest); // stable
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    /** An angle for a task name: at most two decimals, no trailing zeros. */
    static String degrees(double angle) {
        return BigDecimal.valueOf(angle).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String describeDefaultAngles(int n) {
        double[] a = defaultAngles(n);
        StringBuilder out = new StringBuilder("the default ");
        for (int t = 0; t < Math.min(n, 6); t++) {
            out.append(t == 0 ? "" : ", ").append(degrees(a[t]));
        }
        return out.append(n > 6 ? ", ..." : "").append(" (t x 180 / ").append(n).append(")").toString();
    }

    private static String reversed(int n) {
        StringBuilder out = new StringBuilder("[");
        for (int i = n - 1; i >= 0; i--) {
            out.append(i).append(i > 0 ? "," : "");
        }
        return out.append(']').toString();
    }

    private static int numClasses(ImageData data) {
        return Math.max(data.train().labelBound(), data.test().labelBound());
    }

    private static int[] samplesOf(ImageSet set, int[] classes) {
        boolean[] wanted = new boolean[256];
        for (int c : classes) {
            wanted[c] = true;
        }
        int[] labels = set.labels();
        int count = 0;
        for (int label : labels) {
            if (wanted[label]) {
                count++;
            }
        }
        int[] out = new int[count];
        for (int i = 0, k = 0; i < labels.length; i++) {
            if (wanted[labels[i]]) {
                out[k++] = i;
            }
        }
        return out;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static String list(int[] values) {
        return Arrays.stream(values).mapToObj(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }

    /** SplitMix64 finaliser over a seed and a salt. */
    static long mix(long seed, long salt) {
        long z = seed + salt * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static UserException badConfig(String message) {
        return new UserException(UserException.BAD_CONFIG, message);
    }
}
