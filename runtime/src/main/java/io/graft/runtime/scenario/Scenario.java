package io.graft.runtime.scenario;

import io.graft.api.Protocol;
import io.graft.api.model.TaskInfo;
import io.graft.runtime.config.ScenarioConfig;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A sequence of tasks cut from one data set: for every task its classes, its training and test samples and
 * its input transform (a pixel permutation, a rotation, or none), plus the protocols the run is evaluated
 * under. Made by {@link Scenarios#create}. Immutable; {@link #trainData} and {@link #testData} hand out
 * fresh, independent sample sets.
 *
 * <p>Tasks are indexed by their position in the training order. Each task keeps the name it was dealt with
 * ({@code "classes 8,9"}, {@code "permutation 3"}, {@code "rotation 45"}): its identity, whatever the order.
 * {@link #order()} says which dealt task is trained at each position and {@link #orderRule()} by which rule;
 * {@link #difficulty(int)} is the task's measured difficulty ({@link TaskDifficulty}).
 */
public final class Scenario {

    private final ScenarioConfig.Type type;
    private final ImageData data;
    private final List<TaskInfo> tasks;
    private final List<Protocol> protocols;
    private final int[][] trainSamples;
    private final int[][] testSamples;
    private final SamplingMap[] maps;
    private final int numClasses;
    private final int[] order;
    private final String orderRule;
    private final double[] angles;
    private volatile double[] difficulties;

    /**
     * A scenario trained in the given order, with pixel permutations as its only transforms.
     *
     * @param type the scenario family
     * @param data the images
     * @param tasks the tasks, in training order, indexed from 0
     * @param protocols the protocols evaluated
     * @param trainSamples per task, the indices into {@code data.train()}
     * @param testSamples per task, the indices into {@code data.test()}
     * @param permutations per task, the pixel permutation or {@code null} for none
     * @param numClasses the number of outputs of the single head
     */
    public Scenario(ScenarioConfig.Type type, ImageData data, List<TaskInfo> tasks, List<Protocol> protocols,
                    int[][] trainSamples, int[][] testSamples, int[][] permutations, int numClasses) {
        this(type, data, tasks, protocols, trainSamples, testSamples, maps(permutations), numClasses,
                identity(tasks.size()), ScenarioConfig.Order.GIVEN.name(), null, null);
    }

    /**
     * @param type the scenario family
     * @param data the images
     * @param tasks the tasks, in training order, indexed from 0
     * @param protocols the protocols evaluated
     * @param trainSamples per task, the indices into {@code data.train()}
     * @param testSamples per task, the indices into {@code data.test()}
     * @param maps per task, the input transform or {@code null} for none
     * @param numClasses the number of outputs of the single head
     * @param order per position, the index the task was dealt with (a permutation of the positions)
     * @param orderRule how the order was chosen: {@code given}, {@code random}, {@code easy-to-hard},
     *     {@code hard-to-easy} or {@code explicit}
     * @param angles per task, its rotation in degrees, or {@code null} when the scenario does not rotate
     * @param difficulties per task, its measured difficulty, or {@code null} to measure it when first asked
     */
    public Scenario(ScenarioConfig.Type type, ImageData data, List<TaskInfo> tasks, List<Protocol> protocols,
                    int[][] trainSamples, int[][] testSamples, SamplingMap[] maps, int numClasses, int[] order,
                    String orderRule, double[] angles, double[] difficulties) {
        this.type = Objects.requireNonNull(type, "type");
        this.data = Objects.requireNonNull(data, "data");
        this.tasks = List.copyOf(tasks);
        this.protocols = List.copyOf(protocols);
        int n = this.tasks.size();
        if (trainSamples.length != n || testSamples.length != n || maps.length != n || order.length != n
                || (angles != null && angles.length != n) || (difficulties != null && difficulties.length != n)) {
            throw new IllegalArgumentException("per-task arrays must have one entry per task (" + n + ")");
        }
        boolean[] seen = new boolean[n];
        for (int t = 0; t < n; t++) {
            if (this.tasks.get(t).index() != t) {
                throw new IllegalArgumentException("task " + t + " has index " + this.tasks.get(t).index());
            }
            if (order[t] < 0 || order[t] >= n || seen[order[t]]) {
                throw new IllegalArgumentException("order is not a permutation of 0.." + (n - 1));
            }
            seen[order[t]] = true;
        }
        this.trainSamples = deepCopy(trainSamples);
        this.testSamples = deepCopy(testSamples);
        this.maps = maps.clone();
        this.numClasses = numClasses;
        this.order = order.clone();
        this.orderRule = Objects.requireNonNull(orderRule, "orderRule");
        this.angles = angles == null ? null : angles.clone();
        this.difficulties = difficulties == null ? null : difficulties.clone();
    }

    /** @return the scenario family */
    public ScenarioConfig.Type type() {
        return type;
    }

    /** @return the images */
    public ImageData data() {
        return data;
    }

    /** @return the tasks, in training order */
    public List<TaskInfo> tasks() {
        return tasks;
    }

    /** @return the number of tasks */
    public int taskCount() {
        return tasks.size();
    }

    /**
     * @param index a task index
     * @return that task
     */
    public TaskInfo task(int index) {
        return tasks.get(index);
    }

    /**
     * The same tasks evaluated under other protocols ({@code model.heads: multi} keeps a split scenario to
     * {@code task_il}).
     *
     * @param evaluated the protocols
     * @return a scenario sharing everything else with this one
     */
    public Scenario withProtocols(List<Protocol> evaluated) {
        return new Scenario(type, data, tasks, evaluated, trainSamples, testSamples, maps, numClasses, order,
                orderRule, angles, difficulties);
    }

    /** @return the protocols the run is evaluated under */
    public List<Protocol> protocols() {
        return protocols;
    }

    /** @return values per input sample */
    public int inputSize() {
        return data.featureSize();
    }

    /**
     * @return the shape of one sample, {@code channels, height, width} (one channel: grey images); the features
     *     arrive flattened, {@link #inputSize()} values channel by channel, row by row
     */
    public int[] inputShape() {
        return new int[] {1, data.train().rows(), data.train().cols()};
    }

    /** @return outputs of the single head: the largest label of the data plus one */
    public int numClasses() {
        return numClasses;
    }

    /**
     * The training order: entry {@code t} is the index that the task trained at position {@code t} was dealt
     * with (dealt order: split tasks in {@code classOrder} chunks, permuted and rotated tasks as numbered by
     * their names). The identity for {@code order: given}.
     *
     * @return the order (a copy)
     */
    public int[] order() {
        return order.clone();
    }

    /**
     * @return how {@link #order()} was chosen: {@code given}, {@code random}, {@code easy-to-hard},
     *     {@code hard-to-easy}, or {@code explicit} for a list of indices
     */
    public String orderRule() {
        return orderRule;
    }

    /**
     * The measured difficulty of a task on its own: the test error of a nearest-class-mean classifier on the
     * task's transformed pixels ({@link TaskDifficulty}). Deterministic; measured from the data when the
     * scenario was made for a difficulty order, otherwise on the first call (about 0.1 s per 10-class
     * Fashion-MNIST task).
     *
     * @param task a task index (position in the training order)
     * @return its error in {@code [0, 1]}; higher is harder
     */
    public double difficulty(int task) {
        Objects.checkIndex(task, tasks.size());
        return difficulties()[task];
    }

    /** @return every task's {@link #difficulty(int)}, in training order (a copy) */
    public double[] difficulties() {
        double[] d = difficulties;
        if (d == null) {
            synchronized (this) {
                d = difficulties;
                if (d == null) {
                    int[][] classes = new int[tasks.size()][];
                    for (int t = 0; t < classes.length; t++) {
                        classes[t] = tasks.get(t).classes();
                    }
                    d = measure(data, classes, trainSamples, testSamples, maps);
                    difficulties = d;
                }
            }
        }
        return d.clone();
    }

    /** @return what {@link #difficulty(int)} measures, in words */
    public String difficultyMeasure() {
        return TaskDifficulty.MEASURE;
    }

    /**
     * @param task a task index
     * @return its rotation in degrees (counter-clockwise), or empty when the scenario does not rotate
     */
    public OptionalDouble angle(int task) {
        Objects.checkIndex(task, tasks.size());
        return angles == null ? OptionalDouble.empty() : OptionalDouble.of(angles[task]);
    }

    /**
     * @param task a task index
     * @return its pixel permutation (a copy), or {@code null} when the task does not permute its input
     */
    public int[] permutation(int task) {
        SamplingMap m = maps[task];
        return m == null || type != ScenarioConfig.Type.PERMUTED ? null : m.permutation();
    }

    /**
     * @param task a task index
     * @return its input transform, or {@code null} when the task sees the images as they are
     */
    public SamplingMap transform(int task) {
        return maps[task];
    }

    /**
     * @param task a task index
     * @return indices into the training set (a copy)
     */
    public int[] trainIndices(int task) {
        return trainSamples[task].clone();
    }

    /**
     * @param task a task index
     * @return indices into the test set (a copy)
     */
    public int[] testIndices(int task) {
        return testSamples[task].clone();
    }

    /**
     * @param task a task index
     * @return a new sample set over the task's training samples
     */
    public SampleSet trainData(int task) {
        return new SampleSet(data.train(), trainSamples[task], maps[task], task);
    }

    /**
     * @param task a task index
     * @return a new sample set over the task's test samples
     */
    public SampleSet testData(int task) {
        return new SampleSet(data.test(), testSamples[task], maps[task], task);
    }

    static double[] measure(ImageData data, int[][] classes, int[][] train, int[][] test, SamplingMap[] maps) {
        double[] d = new double[classes.length];
        for (int t = 0; t < d.length; t++) {
            d[t] = TaskDifficulty.nearestClassMeanError(data.train(), train[t], data.test(), test[t], classes[t],
                    maps[t]);
        }
        return d;
    }

    private static SamplingMap[] maps(int[][] permutations) {
        SamplingMap[] out = new SamplingMap[permutations.length];
        for (int t = 0; t < out.length; t++) {
            out[t] = permutations[t] == null ? null : SamplingMap.permutation(permutations[t]);
        }
        return out;
    }

    private static int[] identity(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static int[][] deepCopy(int[][] in) {
        int[][] out = new int[in.length][];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] == null ? null : in[i].clone();
        }
        return out;
    }
}
