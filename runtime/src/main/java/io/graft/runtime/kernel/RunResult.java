package io.graft.runtime.kernel;

import io.graft.api.Protocol;
import io.graft.runtime.metrics.AccuracyMatrix;
import io.graft.runtime.metrics.ContinualMetrics;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of a completed run.
 *
 * @param accuracy per protocol (in the scenario's order), the accuracy matrix with its baseline row
 * @param trainSamples incoming training samples processed (replayed rows not counted)
 * @param trainSeconds time spent in training steps (batch assembly, plugin step hooks and listeners
 *     included; evaluation, task-end consolidation and pruning excluded)
 * @param wallSeconds wall time of the whole run
 * @param parameterCount scalar weights of the host network at the end
 * @param steps training steps taken
 * @param isolationViolations breaches of gradient isolation the kernel's verifier found (frozen parameters or
 *     their optimizer state changed in a step, optimizer state reset by growth); 0 in a sound run
 * @param isolationCheckedSteps steps in which frozen parameters were checked
 */
public record RunResult(Map<Protocol, AccuracyMatrix> accuracy, long trainSamples, double trainSeconds,
                        double wallSeconds, long parameterCount, long steps, long isolationViolations,
                        long isolationCheckedSteps) {

    /** Copies the map, keeping its order. */
    public RunResult {
        accuracy = Collections.unmodifiableMap(new LinkedHashMap<>(accuracy));
    }

    /**
     * A result of a run with nothing frozen.
     *
     * @param accuracy per protocol, the accuracy matrix
     * @param trainSamples incoming training samples processed
     * @param trainSeconds time spent in training steps
     * @param wallSeconds wall time of the whole run
     * @param parameterCount scalar weights at the end
     * @param steps training steps taken
     */
    public RunResult(Map<Protocol, AccuracyMatrix> accuracy, long trainSamples, double trainSeconds,
                     double wallSeconds, long parameterCount, long steps) {
        this(accuracy, trainSamples, trainSeconds, wallSeconds, parameterCount, steps, 0, 0);
    }

    /** @return incoming training samples per second of training time */
    public double trainSamplesPerSecond() {
        return trainSeconds > 0 ? trainSamples / trainSeconds : 0;
    }

    /**
     * @param protocol a protocol the run evaluated
     * @return the untrained model's accuracy on each task under it
     * @throws IllegalArgumentException if the run did not evaluate under that protocol
     */
    public double[] baseline(Protocol protocol) {
        return matrix(protocol).baseline();
    }

    /**
     * @param protocol a protocol the run evaluated
     * @return its accuracy matrix
     * @throws IllegalArgumentException if the run did not evaluate under that protocol
     */
    public AccuracyMatrix matrix(Protocol protocol) {
        AccuracyMatrix m = accuracy.get(protocol);
        if (m == null) {
            throw new IllegalArgumentException("the run was not evaluated under " + protocol.key());
        }
        return m;
    }

    /**
     * @param protocol a protocol the run evaluated
     * @return average accuracy, forgetting, BWT and FWT under it
     * @throws IllegalArgumentException if the run did not evaluate under that protocol
     */
    public ContinualMetrics metrics(Protocol protocol) {
        return ContinualMetrics.of(matrix(protocol));
    }
}
