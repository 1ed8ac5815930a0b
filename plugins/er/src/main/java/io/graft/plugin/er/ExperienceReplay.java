package io.graft.plugin.er;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.model.Batch;
import io.graft.api.rehearsal.Rehearsal;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Experience replay (Chaudhry et al., 2019; Rolnick et al., 2019): after every step the incoming samples are
 * offered to the memory (a {@link ReservoirBuffer}, or a {@link ClassBalancedBuffer} with
 * {@code selection: class_balanced}); before every step a batch of distinct remembered samples is replayed
 * beside the incoming one.
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
    private DataType featureType = DataType.FLOAT32;

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
        int[] slots = buffer.draw(k, random);
        float[] x = new float[k * buffer.rowLength()];
        buffer.copyFeatures(slots, x);
        long[] y = new long[k];
        long[] t = new long[k];
        for (int i = 0; i < k; i++) {
            y[i] = buffer.label(slots[i]);
            t[i] = buffer.task(slots[i]);
        }
        NDManager manager = step.stepManager();
        long[] dims = new long[buffer.sampleShape().length + 1];
        dims[0] = k;
        System.arraycopy(buffer.sampleShape(), 0, dims, 1, dims.length - 1);
        NDArray features = manager.create(x, new Shape(dims));
        if (featureType != DataType.FLOAT32) {
            NDArray typed = features.toType(featureType, false);
            features.close();
            features = typed;
        }
        return new Batch(features, manager.create(y), manager.create(t));
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
        featureType = batch.features().getDataType();
        long[] y = buffer.needsLabels() ? longs(batch.labels()) : null;
        int[] slots = buffer.offer(n, y, random);
        if (Arrays.stream(slots).anyMatch(s -> s >= 0)) {
            float[] x = floats(batch.features());
            if (y == null) {
                y = longs(batch.labels());
            }
            long[] t = longs(batch.tasks());
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

    /** @return the memory */
    ReplayBuffer buffer() {
        return buffer;
    }

    @Override
    public void saveState(StateWriter out) {
        out.putLong("capacity", buffer.capacity());
        out.putLong("seen", buffer.seen());
        out.putLong("filled", buffer.filled());
        out.putString("featureType", featureType.name());
        long[] shape = buffer.sampleShape();
        if (shape == null) {
            return;
        }
        out.putString("sampleShape", Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(",")));
        try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
            long[] dims = new long[shape.length + 1];
            dims[0] = buffer.filled();
            System.arraycopy(shape, 0, dims, 1, shape.length);
            out.putArray("features", host.create(buffer.storedFeatures(), new Shape(dims)));
            out.putArray("labels", host.create(buffer.storedLabels()));
            out.putArray("tasks", host.create(buffer.storedTasks()));
            if (buffer instanceof ClassBalancedBuffer balanced && balanced.classLabels().length > 0) {
                out.putArray("classLabels", host.create(balanced.classLabels()));
                out.putArray("classSeen", host.create(balanced.classSeen()));
                out.putArray("classHeld", host.create(asLongs(balanced.classHeld())));
                out.putArray("classSlots", host.create(asLongs(balanced.classSlotOrder())));
            }
        }
    }

    @Override
    public void restoreState(StateReader in) {
        featureType = DataType.valueOf(in.getString("featureType"));
        if (!in.keys().contains("sampleShape")) {
            buffer.restore(null, new float[0], new long[0], new long[0], in.getLong("seen"));
            return;
        }
        String text = in.getString("sampleShape");
        long[] shape = text.isEmpty() ? new long[0]
                : Arrays.stream(text.split(",")).mapToLong(Long::parseLong).toArray();
        try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
            float[] x = floats(in.getArray("features", host));
            long[] y = longs(in.getArray("labels", host));
            long[] t = longs(in.getArray("tasks", host));
            buffer.restore(shape, x, y, t, in.getLong("seen"));
            if (buffer instanceof ClassBalancedBuffer balanced && in.keys().contains("classLabels")) {
                balanced.restoreClasses(longs(in.getArray("classLabels", host)),
                        longs(in.getArray("classSeen", host)), longs(in.getArray("classHeld", host)),
                        longs(in.getArray("classSlots", host)));
            }
        }
    }

    private void start(RunContext run) {
        if (random == null) {
            random = run.random();
        }
        if (metrics == null) {
            metrics = run.metrics();
        }
    }

    private static float[] floats(NDArray array) {
        if (array.getDataType() == DataType.FLOAT32) {
            return array.toFloatArray();
        }
        try (NDArray f = array.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    private static long[] asLongs(int[] values) {
        return Arrays.stream(values).asLongStream().toArray();
    }

    private static long[] longs(NDArray array) {
        if (array.getDataType() == DataType.INT64) {
            return array.toLongArray();
        }
        try (NDArray l = array.toType(DataType.INT64, true)) {
            return l.toLongArray();
        }
    }
}
