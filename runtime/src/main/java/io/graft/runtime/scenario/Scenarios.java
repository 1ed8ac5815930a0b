package io.graft.runtime.scenario;

import io.graft.api.Protocol;
import io.graft.api.model.TaskInfo;
import io.graft.runtime.UserException;
import io.graft.runtime.config.ScenarioConfig;
import java.util.ArrayList;
import java.util.Arrays;
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
 * </ul>
 * Configuration errors are {@link UserException}s with {@link UserException#BAD_CONFIG} naming the key.
 */
public final class Scenarios {

    private Scenarios() {}

    /**
     * @param config the scenario's configuration
     * @param data the images
     * @param seed the run's seed (permutations derive from it)
     * @return the scenario
     * @throws UserException (BAD_CONFIG) for a configuration the data cannot satisfy, (BAD_DATA) when a
     *     task would have no test samples
     */
    public static Scenario create(ScenarioConfig config, ImageData data, long seed) {
        if (config.tasks() < 1) {
            throw badConfig("scenario.tasks must be at least 1, got " + config.tasks());
        }
        return switch (config.type()) {
            case SPLIT -> split(config, data);
            case PERMUTED -> permuted(config, data, seed);
        };
    }

    private static Scenario split(ScenarioConfig config, ImageData data) {
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
        List<TaskInfo> infos = new ArrayList<>();
        int[][] train = new int[tasks][];
        int[][] test = new int[tasks][];
        for (int t = 0; t < tasks; t++) {
            int[] classes = new int[perTask];
            for (int k = 0; k < perTask; k++) {
                classes[k] = order.get(t * perTask + k);
            }
            infos.add(new TaskInfo(t, "classes " + Arrays.stream(classes).mapToObj(String::valueOf)
                    .collect(Collectors.joining(",")), classes));
            train[t] = samplesOf(data.train(), classes);
            test[t] = samplesOf(data.test(), classes);
            if (test[t].length == 0) {
                throw new UserException(UserException.BAD_DATA, "data: the test set has no samples of classes "
                        + list(classes) + " (task " + t + "); use a test set with every class, or change"
                        + " scenario.classOrder");
            }
        }
        return new Scenario(ScenarioConfig.Type.SPLIT, data, infos, List.of(Protocol.CLASS_IL, Protocol.TASK_IL),
                train, test, new int[tasks][], numClasses(data));
    }

    private static Scenario permuted(ScenarioConfig config, ImageData data, long seed) {
        if (config.classOrder() != null) {
            throw badConfig("scenario.classOrder applies to split scenarios only; remove it or set"
                    + " scenario.type: split");
        }
        int tasks = config.tasks();
        if (data.test().size() == 0 || data.train().size() == 0) {
            throw new UserException(UserException.BAD_DATA, "data: the training or test set is empty; use a"
                    + " complete MNIST-format data set");
        }
        int[] classes = data.train().classes();
        int[] allTrain = range(data.train().size());
        int[] allTest = range(data.test().size());
        int f = data.featureSize();
        Random random = new Random(mix(seed, 0x7065726d75746564L));
        List<TaskInfo> infos = new ArrayList<>();
        int[][] train = new int[tasks][];
        int[][] test = new int[tasks][];
        int[][] perms = new int[tasks][];
        for (int t = 0; t < tasks; t++) {
            infos.add(new TaskInfo(t, t == 0 ? "identity" : "permutation " + t, classes));
            train[t] = allTrain;
            test[t] = allTest;
            if (t > 0) {
                int[] p = range(f);
                for (int i = f - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int tmp = p[i];
                    p[i] = p[j];
                    p[j] = tmp;
                }
                perms[t] = p;
            }
        }
        return new Scenario(ScenarioConfig.Type.PERMUTED, data, infos, List.of(Protocol.DOMAIN_IL), train, test,
                perms, numClasses(data));
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
