package io.graft.runtime.scenario;

import io.graft.api.Protocol;
import io.graft.api.model.TaskInfo;
import io.graft.runtime.config.ScenarioConfig;
import java.util.List;
import java.util.Objects;

/**
 * A sequence of tasks cut from one data set: for every task its classes, its training and test samples and
 * its input transform (a pixel permutation, or none), plus the protocols the run is evaluated under. Made by
 * {@link Scenarios#create}. Immutable; {@link #trainData} and {@link #testData} hand out fresh, independent
 * sample sets.
 */
public final class Scenario {

    private final ScenarioConfig.Type type;
    private final ImageData data;
    private final List<TaskInfo> tasks;
    private final List<Protocol> protocols;
    private final int[][] trainSamples;
    private final int[][] testSamples;
    private final int[][] permutations;
    private final int numClasses;

    /**
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
        this.type = Objects.requireNonNull(type, "type");
        this.data = Objects.requireNonNull(data, "data");
        this.tasks = List.copyOf(tasks);
        this.protocols = List.copyOf(protocols);
        int n = this.tasks.size();
        if (trainSamples.length != n || testSamples.length != n || permutations.length != n) {
            throw new IllegalArgumentException("per-task arrays must have one entry per task (" + n + ")");
        }
        for (int t = 0; t < n; t++) {
            if (this.tasks.get(t).index() != t) {
                throw new IllegalArgumentException("task " + t + " has index " + this.tasks.get(t).index());
            }
        }
        this.trainSamples = deepCopy(trainSamples);
        this.testSamples = deepCopy(testSamples);
        this.permutations = deepCopy(permutations);
        this.numClasses = numClasses;
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

    /** @return the protocols the run is evaluated under */
    public List<Protocol> protocols() {
        return protocols;
    }

    /** @return values per input sample */
    public int inputSize() {
        return data.featureSize();
    }

    /** @return outputs of the single head: the largest label of the data plus one */
    public int numClasses() {
        return numClasses;
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
     * @return its pixel permutation (a copy), or {@code null} when the task does not transform its input
     */
    public int[] permutation(int task) {
        int[] p = permutations[task];
        return p == null ? null : p.clone();
    }

    /**
     * @param task a task index
     * @return a new sample set over the task's training samples
     */
    public SampleSet trainData(int task) {
        return new SampleSet(data.train(), trainSamples[task], permutations[task], task);
    }

    /**
     * @param task a task index
     * @return a new sample set over the task's test samples
     */
    public SampleSet testData(int task) {
        return new SampleSet(data.test(), testSamples[task], permutations[task], task);
    }

    private static int[][] deepCopy(int[][] in) {
        int[][] out = new int[in.length][];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] == null ? null : in[i].clone();
        }
        return out;
    }
}
