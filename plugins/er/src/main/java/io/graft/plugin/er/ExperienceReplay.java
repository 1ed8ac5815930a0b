package io.graft.plugin.er;

import ai.djl.ndarray.types.Shape;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.model.Batch;
import io.graft.api.rehearsal.Rehearsal;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.plugin.support.HostArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Experience replay (Chaudhry et al., 2019; Rolnick et al., 2019): after every step the incoming samples are
 * offered to the memory (a {@link ReservoirBuffer}, or a {@link ClassBalancedBuffer} with
 * {@code selection: class_balanced}); before every step a batch of distinct remembered samples is replayed
 * beside the incoming one.
 *
 * <p>With {@code selection: herding} (iCaRL, Rebuffi et al., 2017) the memory is a {@link HerdingBuffer} that
 * keeps nothing during a task; at the task's end each class of the task gets exemplars chosen by
 * {@link Herding} among {@link Candidates} drawn from the task's training data, the feature vectors being the
 * model's L2-normalised logits at that moment (the api offers no hidden-layer view).
 *
 * <p>Per step this costs one copy of the incoming batch to the host (skipped when the memory keeps none of
 * its samples; class-balanced selection always copies the labels, which it needs to decide) and one
 * host-to-device copy of the replayed batch; the memory itself holds no device arrays.
 */
final class ExperienceReplay implements Rehearsal, Stateful {

    /** Steps between two recordings of the memory's fill. */
    static final int METRIC_EVERY = 50;

    private final ErSettings settings;
    private final ReplayBuffer buffer;
    private Random random;
    private MetricSink metrics;

    ExperienceReplay(ErSettings settings) {
        this.settings = settings;
        this.buffer = settings.selection().newBuffer(settings.bufferSize());
    }

    @Override
    public void onRunStart(RunContext run) {
        start(run);
    }

    @Override
    public Batch replay(StepContext step) {
        start(step);
        int filled = buffer.filled();
        if (filled == 0) {
            return null;
        }
        int k = Math.min(settings.replayBatch(), filled);
        return buffer.gather(buffer.draw(k, random), step.stepManager());
    }

    @Override
    public void afterStep(StepContext step) {
        start(step);
        Batch batch = step.batch();
        int n = batch.size();
        if (n == 0) {
            return;
        }
        Shape shape = batch.features().getShape();
        buffer.requireSampleShape(shape.slice(1).getShape());
        buffer.setFeatureType(batch.features().getDataType());
        long[] y = buffer.needsLabels() ? HostArrays.longs(batch.labels()) : null;
        int[] slots = buffer.offer(n, y, random);
        if (Arrays.stream(slots).anyMatch(s -> s >= 0)) {
            float[] x = HostArrays.floats(batch.features());
            if (y == null) {
                y = HostArrays.longs(batch.labels());
            }
            long[] t = HostArrays.longs(batch.tasks());
            for (int i = 0; i < n; i++) {
                if (slots[i] >= 0) {
                    buffer.put(slots[i], x, i, y[i], t[i]);
                }
            }
        }
        if (metrics != null && step.step() % METRIC_EVERY == 0) {
            metrics.record("buffer_size", buffer.filled());
        }
    }

    @Override
    public void onTaskEnd(TaskContext task) {
        start(task);
        if (buffer instanceof HerdingBuffer herding) {
            herd(task, herding);
            if (metrics != null) {
                metrics.record("buffer_size", buffer.filled());
            }
        }
    }

    /** Chooses the exemplars of the finished task's classes and adds them to the memory. */
    private void herd(TaskContext task, HerdingBuffer herding) {
        Candidates candidates = Candidates.collect(task, settings.herdingCandidates(), random);
        List<Candidates.OfClass> classes = candidates.classes();
        if (classes.isEmpty()) {
            return;
        }
        int[] shares = herding.sharesOfNew(classes.size());
        List<HerdingBuffer.Exemplars> chosen = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) {
            Candidates.OfClass c = classes.get(i);
            int[] order = Herding.order(c.features(), c.count(), candidates.dim(), Math.min(shares[i], c.count()));
            chosen.add(new HerdingBuffer.Exemplars(c.label(), c.inputs(order)));
        }
        herding.setFeatureType(candidates.featureType());
        herding.addTask(task.task().index(), candidates.sampleShape(), chosen, task.data().size());
    }

    /** @return the memory */
    ReplayBuffer buffer() {
        return buffer;
    }

    @Override
    public void saveState(StateWriter out) {
        buffer.saveTo(out);
    }

    @Override
    public void restoreState(StateReader in) {
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
