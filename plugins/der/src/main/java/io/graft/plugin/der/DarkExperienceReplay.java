package io.graft.plugin.der;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.model.Batch;
import io.graft.api.regularization.Regularizer;
import io.graft.api.rehearsal.Rehearsal;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.plugin.support.HostArrays;
import io.graft.plugin.support.Sampling;
import io.graft.plugin.support.Tensors;
import java.util.Arrays;
import java.util.Random;

/**
 * Dark Experience Replay and DER++ (Buzzega et al., 2020). After every step the incoming samples are offered to
 * a reservoir memory ({@link LogitBuffer}) together with the logits the model gave them in that step
 * ({@link StepContext#logits()}). Before every step a batch of distinct remembered samples is replayed beside
 * the incoming one, and the penalty matches the replayed rows' live logits to the stored ones:
 *
 * <pre>
 *   loss of the paper = mean CE over the incoming rows + α · mean over replayed rows of ‖outputs − stored logits‖²
 *                       + β · mean CE over the replayed rows
 * </pre>
 *
 * The kernel's loss is one mean cross-entropy over all {@code N} rows trained this step (incoming plus every
 * rehearsal plugin's), so the penalty adds what turns that into the paper's weights: {@code (1/n − 1/N)} on the
 * {@code n} incoming rows' cross-entropy sum, {@code (β/k − 1/N)} on this plugin's {@code k} replayed rows', and
 * the α-weighted logit matching. DER uses β = 0 (pure logit matching: the replayed labels do not train), DER++
 * a configured β.
 *
 * <p>Simplification: the paper's DER++ draws a second, independent buffer sample for its cross-entropy term;
 * here the same replayed rows carry both terms, which saves one forward of a second replay batch.
 *
 * <p>Metrics: {@code buffer_size} (samples held) and {@code der_mse} (the unweighted logit-matching term), every
 * {@value #METRIC_EVERY} steps.
 */
final class DarkExperienceReplay implements Rehearsal, Regularizer, Stateful {

    /** Steps between two recordings of the metrics (reading the mse back costs a device sync). */
    static final int METRIC_EVERY = 50;

    private final DerSettings settings;
    private final LogitBuffer buffer;
    private Random random;
    private MetricSink metrics;
    /** The slots replayed in the step in progress, in row order, or {@code null} when none were. */
    private int[] drawn;

    DarkExperienceReplay(DerSettings settings) {
        this.settings = settings;
        this.buffer = new LogitBuffer(settings.bufferSize());
    }

    @Override
    public void onRunStart(RunContext run) {
        start(run);
    }

    @Override
    public Batch replay(StepContext step) {
        start(step);
        drawn = null;
        int filled = buffer.filled();
        if (filled == 0) {
            return null;
        }
        int k = Math.min(settings.replayBatch(), filled);
        int[] slots = Sampling.withoutReplacement(filled, k, random);
        Batch batch = buffer.gather(slots, step.stepManager());
        drawn = slots;
        return batch;
    }

    @Override
    public NDArray penalty(StepContext step) {
        int from = step.replayedFrom();
        if (from < 0 || drawn == null) {
            return null;
        }
        int k = drawn.length;
        NDArray outputs = step.outputs();
        long n = outputs.getShape().get(0);
        int classes = buffer.classes();
        if (outputs.getShape().get(1) != classes || from + k > n) {
            throw new IllegalStateException("outputs " + outputs.getShape() + " do not hold " + k
                    + " replayed rows of " + classes + " logits from row " + from);
        }
        NDManager manager = step.stepManager();
        float[] z = new float[k * classes];
        buffer.copyLogits(drawn, z);
        long[] y = new long[k];
        for (int i = 0; i < k; i++) {
            y[i] = buffer.label(drawn[i]);
        }
        NDArray rows = outputs.get(new NDIndex("{}:{}", from, from + k));
        NDArray target = manager.create(z, new Shape(k, classes)).toDevice(outputs.getDevice(), false);
        if (rows.getDataType() != DataType.FLOAT32) {
            target = target.toType(rows.getDataType(), false);
        }
        NDArray mse = rows.sub(target).square().sum(new int[] {1}).mean();
        NDArray penalty = Tensors.scaled(mse, settings.alpha());
        // reweight the kernel's single mean over N rows to the paper's per-term means
        NDArray labels = manager.create(y).toDevice(outputs.getDevice(), false);
        penalty = penalty.add(Tensors.scaled(crossEntropySum(rows, labels), settings.beta() / k - 1.0 / n));
        Batch incoming = step.batch();
        int m = incoming.size();
        if (m > 0 && m < n) {
            NDArray incomingRows = outputs.get(new NDIndex("0:{}", m));
            penalty = penalty.add(Tensors.scaled(crossEntropySum(incomingRows, incoming.labels()), 1.0 / m - 1.0 / n));
        }
        if (penalty.getDataType() != rows.getDataType()) {
            penalty = penalty.toType(rows.getDataType(), false);
        }
        if (metrics != null && step.step() % METRIC_EVERY == 0) {
            try (NDArray value = mse.stopGradient()) {
                metrics.record("der_mse", value.getFloat());
            }
        }
        return penalty;
    }

    private static NDArray crossEntropySum(NDArray logits, NDArray labels) {
        return logits.logSoftmax(1).gather(labels.reshape(-1, 1), 1).sum().neg();
    }

    @Override
    public void afterStep(StepContext step) {
        start(step);
        drawn = null;
        Batch batch = step.batch();
        int n = batch.size();
        if (n > 0) {
            NDArray logits = step.logits();
            buffer.requireLayout(batch.features().getShape().slice(1).getShape(),
                    Math.toIntExact(logits.getShape().get(1)));
            buffer.setFeatureType(batch.features().getDataType());
            int[] slots = buffer.offer(n, random);
            if (Arrays.stream(slots).anyMatch(s -> s >= 0)) {
                float[] x = HostArrays.floats(batch.features());
                float[] z = HostArrays.floats(logits);
                long[] y = HostArrays.longs(batch.labels());
                long[] t = HostArrays.longs(batch.tasks());
                for (int i = 0; i < n; i++) {
                    if (slots[i] >= 0) {
                        buffer.put(slots[i], x, z, i, y[i], t[i]);
                    }
                }
            }
        }
        if (metrics != null && step.step() % METRIC_EVERY == 0) {
            metrics.record("buffer_size", buffer.filled());
        }
    }

    /** @return the memory */
    LogitBuffer buffer() {
        return buffer;
    }

    /** @return the settings */
    DerSettings settings() {
        return settings;
    }

    @Override
    public void saveState(StateWriter out) {
        buffer.saveTo(out);
    }

    @Override
    public void restoreState(StateReader in) {
        drawn = null;
        buffer.restoreFrom(in);
    }

    private void start(RunContext run) {
        if (random == null) {
            random = run.random();
        }
        if (metrics == null) {
            metrics = run.metrics();
        }
    }
}
