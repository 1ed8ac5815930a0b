package io.graft.plugin.support;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.model.Batch;
import io.graft.api.train.TaskContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * An episodic memory of samples of finished tasks, one slice per task, held on the host as flat {@code float} rows
 * with their labels.
 *
 * <p>Unbounded ({@link #TaskSlicedMemory()}), every task keeps its whole slice for the run. Bounded
 * ({@link #TaskSlicedMemory(int)}), the capacity is shared equally by the finished tasks: with {@code k} of them,
 * task {@code i} (oldest first) keeps {@code capacity / k} samples, one more for the first {@code capacity % k}.
 * When a task is added every older task keeps a prefix of its samples; since those were drawn in random order,
 * the prefix is again a uniform sample of the task.
 *
 * <p>{@link #saveTo} and {@link #restoreFrom} write and read the entries {@code tasks}, {@code sampleShape} and
 * {@code slice<i>.task|features|labels}.
 */
public class TaskSlicedMemory {

    /**
     * The samples of one task.
     *
     * @param task the task's index
     * @param features {@code rows × rowLength} floats
     * @param labels one class label per row
     */
    public record Slice(long task, float[] features, long[] labels) {
        /** @return how many samples the slice holds */
        public int rows() {
            return labels.length;
        }
    }

    /** The capacity of an unbounded memory. */
    private static final int UNBOUNDED = -1;

    private final int capacity;
    private long[] sampleShape;
    private int rowLength = -1;
    private final List<Slice> slices = new ArrayList<>();

    /** An unbounded memory: every task keeps all the samples it brings. */
    public TaskSlicedMemory() {
        this.capacity = UNBOUNDED;
    }

    /**
     * A bounded memory whose capacity the finished tasks share equally.
     *
     * @param capacity how many samples the memory holds over all tasks
     */
    public TaskSlicedMemory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /** @return how many samples the memory can hold, or -1 if unbounded */
    public int capacity() {
        return capacity;
    }

    /** @return how many samples it holds over all tasks */
    public int size() {
        int n = 0;
        for (Slice s : slices) {
            n += s.rows();
        }
        return n;
    }

    /** @return the tasks remembered, oldest first */
    public List<Slice> slices() {
        return Collections.unmodifiableList(slices);
    }

    /** @return the shape of one sample, or {@code null} before the first task */
    public long[] sampleShape() {
        return sampleShape == null ? null : sampleShape.clone();
    }

    /** @return floats per sample, or -1 before the first task */
    public int rowLength() {
        return rowLength;
    }

    /**
     * @param capacity the capacity shared
     * @param tasks how many tasks share the memory
     * @param index a task's position among them, oldest first
     * @return how many samples that task keeps
     */
    public static int share(int capacity, int tasks, int index) {
        return capacity / tasks + (index < capacity % tasks ? 1 : 0);
    }

    /** @return how many samples a task added now may bring ({@link Integer#MAX_VALUE} if unbounded) */
    public int shareOfNext() {
        return capacity == UNBOUNDED ? Integer.MAX_VALUE : share(capacity, slices.size() + 1, slices.size());
    }

    /**
     * Adds a finished task's samples and, if bounded, trims the older tasks to their new shares.
     *
     * @param task the task's index
     * @param shape the shape of one sample
     * @param features the samples' features, {@code labels.length} rows
     * @param labels their class labels; if bounded, at most {@link #shareOfNext()} of them (more are cut)
     * @throws IllegalStateException if the sample shape differs from the samples already held
     */
    public void add(long task, long[] shape, float[] features, long[] labels) {
        requireSampleShape(shape);
        if ((long) labels.length * rowLength != features.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + features.length + " feature values");
        }
        slices.add(new Slice(task, features, labels));
        trim();
    }

    /**
     * Draws {@code n} distinct samples of a finished task's training data at random and {@link #add adds} them.
     *
     * @param task the finished task
     * @param n how many samples to draw, {@code 1 <= n <= task.data().size()}
     * @param random the source of randomness
     * @return the data type of the task's features
     */
    public DataType addDrawn(TaskContext task, int n, Random random) {
        int[] drawn = Sampling.withoutReplacement(task.data().size(), n, random);
        try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
            Batch b = task.data().batch(drawn, host);
            long[] shape = b.features().getShape().slice(1).getShape();
            add(task.task().index(), shape, HostArrays.floats(b.features()), HostArrays.longs(b.labels()));
            return b.features().getDataType();
        }
    }

    /** @return the features of every remembered sample, task by task */
    public float[] allFeatures() {
        float[] all = new float[size() * Math.max(rowLength, 0)];
        int at = 0;
        for (Slice s : slices) {
            System.arraycopy(s.features(), 0, all, at, s.features().length);
            at += s.features().length;
        }
        return all;
    }

    /** @return the labels of every remembered sample, in {@link #allFeatures()} order */
    public long[] allLabels() {
        long[] all = new long[size()];
        int at = 0;
        for (Slice s : slices) {
            System.arraycopy(s.labels(), 0, all, at, s.rows());
            at += s.rows();
        }
        return all;
    }

    /**
     * Replaces the content with saved slices, trimmed to this memory's shares if bounded.
     *
     * @param shape the shape of one sample, or {@code null} for an empty memory
     * @param saved the slices, oldest first
     */
    public void restore(long[] shape, List<Slice> saved) {
        slices.clear();
        sampleShape = null;
        rowLength = -1;
        if (shape == null) {
            return;
        }
        requireSampleShape(shape);
        for (Slice s : saved) {
            if ((long) s.rows() * rowLength != s.features().length) {
                throw new IllegalArgumentException("saved memory of task " + s.task() + " is inconsistent: "
                        + s.rows() + " labels, " + s.features().length + " feature values");
            }
            slices.add(s);
        }
        trim();
    }

    /**
     * Writes the memory: {@code tasks}, and unless empty {@code sampleShape} (comma-separated) and per slice
     * {@code i} the entries {@code slice<i>.task}, {@code slice<i>.features} and {@code slice<i>.labels}.
     *
     * @param out where to write
     */
    public void saveTo(StateWriter out) {
        out.putLong("tasks", slices.size());
        if (sampleShape == null) {
            return;
        }
        out.putString("sampleShape",
                Arrays.stream(sampleShape).mapToObj(Long::toString).collect(Collectors.joining(",")));
        try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
            for (int i = 0; i < slices.size(); i++) {
                Slice s = slices.get(i);
                out.putLong("slice" + i + ".task", s.task());
                out.putArray("slice" + i + ".features",
                        host.create(s.features(), new Shape(HostArrays.dims(s.rows(), sampleShape))));
                out.putArray("slice" + i + ".labels", host.create(s.labels()));
            }
        }
    }

    /**
     * Replaces the content with what {@link #saveTo} wrote (an empty memory if it wrote no sample shape).
     *
     * @param in what was written
     */
    public void restoreFrom(StateReader in) {
        if (!in.keys().contains("sampleShape")) {
            restore(null, List.of());
            return;
        }
        String text = in.getString("sampleShape");
        long[] shape = text.isEmpty() ? new long[0]
                : Arrays.stream(text.split(",")).mapToLong(Long::parseLong).toArray();
        List<Slice> saved = new ArrayList<>();
        long count = in.getLong("tasks");
        try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
            for (int i = 0; i < count; i++) {
                saved.add(new Slice(in.getLong("slice" + i + ".task"),
                        HostArrays.floats(in.getArray("slice" + i + ".features", host)),
                        HostArrays.longs(in.getArray("slice" + i + ".labels", host))));
            }
        }
        restore(shape, saved);
    }

    private void trim() {
        if (capacity == UNBOUNDED) {
            return;
        }
        int k = slices.size();
        for (int i = 0; i < k; i++) {
            Slice s = slices.get(i);
            int keep = share(capacity, k, i);
            if (s.rows() > keep) {
                slices.set(i, new Slice(s.task(), Arrays.copyOf(s.features(), keep * rowLength),
                        Arrays.copyOf(s.labels(), keep)));
            }
        }
    }

    private void requireSampleShape(long[] shape) {
        if (sampleShape == null) {
            long length = 1;
            for (long d : shape) {
                length *= d;
            }
            if (capacity == UNBOUNDED) {
                if (length > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("samples of shape " + Arrays.toString(shape)
                            + " do not fit in one host array");
                }
            } else if (length * capacity > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("an episodic memory of " + capacity + " samples of shape "
                        + Arrays.toString(shape) + " does not fit in one host array; lower memorySize");
            }
            sampleShape = shape.clone();
            rowLength = (int) length;
        } else if (!Arrays.equals(sampleShape, shape)) {
            throw new IllegalStateException("episodic memory holds samples of shape " + Arrays.toString(sampleShape)
                    + " but task data has samples of shape " + Arrays.toString(shape));
        }
    }
}
