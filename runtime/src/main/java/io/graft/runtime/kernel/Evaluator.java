package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.graft.api.Protocol;
import io.graft.api.model.Batch;
import io.graft.runtime.scenario.Scenario;
import io.graft.runtime.scenario.SampleSet;
import java.util.Arrays;
import java.util.List;

/**
 * Measures the host's accuracy on every task's test set under each protocol of the scenario: class-IL and
 * domain-IL take the argmax over every output, task-IL over the task's own classes (the other logits masked
 * to {@code -inf}). Batches live in their own sub-managers, without gradient. With masking plugins, each
 * protocol's pass uses the masks of the task it may know: the test set's task under {@code task_il} and
 * {@code domain_il}, the task trained last under {@code class_il}.
 */
final class Evaluator {

    private final Scenario scenario;
    private final Host host;
    private final NDManager runManager;
    private final int batchSize;
    private final SampleSet[] testSets;
    private final NDArray[] taskMasks;
    private final int[] positions;
    private TaskMasking masking;

    private SeedSlots seeds;

    /**
     * Builds the test sets and the task-IL masks once per run.
     *
     * @param scenario the tasks
     * @param host the network
     * @param runManager owner of the masks
     * @param batchSize samples per forward pass
     * @param masking the run's per-task masks (possibly none)
     */
    Evaluator(Scenario scenario, Host host, NDManager runManager, int batchSize, TaskMasking masking) {
        this.masking = masking;
        this.scenario = scenario;
        this.host = host;
        this.runManager = runManager;
        this.batchSize = batchSize;
        int tasks = scenario.taskCount();
        int outputs = scenario.numClasses();
        testSets = new SampleSet[tasks];
        taskMasks = new NDArray[tasks];
        int longest = 0;
        for (int t = 0; t < tasks; t++) {
            testSets[t] = scenario.testData(t);
            longest = Math.max(longest, testSets[t].size());
            if (scenario.protocols().contains(Protocol.TASK_IL)) {
                float[] mask = new float[outputs];
                Arrays.fill(mask, Float.NEGATIVE_INFINITY);
                for (int c : scenario.task(t).classes()) {
                    mask[c] = 0f;
                }
                taskMasks[t] = runManager.create(mask, new Shape(1, outputs));
            }
        }
        positions = new int[longest];
        for (int i = 0; i < longest; i++) {
            positions[i] = i;
        }
    }

    /**
     * @param trained the task trained last, or -1 before training: under {@code class_il}, where no task label
     *     is given, its masks are the ones applied (the first task's before training)
     * @return accuracies [protocol index in the scenario's order][task]
     */
    /** @param masks the run's masking plugins after one was quarantined */
    void masking(TaskMasking masks) {
        this.masking = masks;
    }

    /** @param slots the run's seed slots, whose task-bound seeds follow the evaluated task */
    void seeds(SeedSlots slots) {
        this.seeds = slots;
    }

    double[][] evaluate(int trained) {
        List<Protocol> protocols = scenario.protocols();
        int tasks = scenario.taskCount();
        double[][] acc = new double[protocols.size()][tasks];
        for (int t = 0; t < tasks; t++) {
            SampleSet test = testSets[t];
            int n = test.size();
            long[] correct = new long[protocols.size()];
            for (int from = 0; from < n; from += batchSize) {
                int to = Math.min(n, from + batchSize);
                try (NDManager em = runManager.newSubManager()) {
                    Batch b = test.batch(positions, from, to, em);
                    NDArray plain = masking.isEmpty() && (seeds == null || !seeds.routed()) ? host.predict(b.features())
                            : null;
                    for (int k = 0; k < protocols.size(); k++) {
                        Protocol p = protocols.get(k);
                        NDArray logits = plain;
                        if (logits == null) {
                            int maskTask = p == Protocol.CLASS_IL ? Math.max(trained, 0) : t;
                            if (seeds != null) {
                                // seeds that serve one task apply in that task's passes, like its masks
                                seeds.pass(SeedSlots.Pass.EVAL, maskTask);
                            }
                            logits = host.forward(b.features(), masking.forPass(scenario.task(maskTask), false, em));
                        }
                        NDArray scores = p == Protocol.TASK_IL ? logits.add(taskMasks[t]) : logits;
                        correct[k] += scores.argMax(1).eq(b.labels()).countNonzero().getLong();
                    }
                }
            }
            for (int k = 0; k < protocols.size(); k++) {
                acc[k][t] = n == 0 ? Double.NaN : (double) correct[k] / n;
            }
        }
        return acc;
    }
}
