package io.graft.runtime.scenario;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.graft.api.model.Batch;
import io.graft.api.train.TaskData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Objects;

/**
 * The samples of one task (training or test), as {@link TaskData}: positions {@code 0..size()-1} map to
 * samples of an {@link ImageSet}, and the task's input transform (a {@link SamplingMap}: a pixel permutation
 * or a rotation), if any, is applied while gathering.
 *
 * <p>A batch is gathered straight from the flat {@code float[]} of the image set into one fresh direct
 * buffer per array, and becomes one NDArray each for features {@code (n, inputSize)} float32, labels
 * {@code (n)} int64 and tasks {@code (n)} int64, owned by the manager passed in. (PyTorch wraps a direct
 * buffer without copying it, so a buffer is never reused across batches.)
 *
 * <p>Not thread-safe: one training thread uses it.
 */
public final class SampleSet implements TaskData {

    private final ImageSet images;
    private final int[] samples;
    private final SamplingMap map;
    private final int task;
    private final float[] row;
    /** Per position: its own task and transform; {@code null} when every sample shares {@link #task}/{@link #map}. */
    private final int[] taskOf;
    private final SamplingMap[] mapOf;

    /**
     * @param images the images
     * @param samples the sample indices of the task, in a fixed order
     * @param permutation the pixel permutation of the task (pixel {@code k} of the result is pixel
     *     {@code permutation[k]} of the image), or {@code null} for none
     * @param task the task index written into {@link Batch#tasks()}
     */
    public SampleSet(ImageSet images, int[] samples, int[] permutation, int task) {
        this(images, samples, permutation == null ? null : permutationMap(images, permutation), task);
    }

    /**
     * @param images the images
     * @param samples the sample indices of the task, in a fixed order
     * @param map the input transform of the task, or {@code null} for none
     * @param task the task index written into {@link Batch#tasks()}
     */
    public SampleSet(ImageSet images, int[] samples, SamplingMap map, int task) {
        this.images = Objects.requireNonNull(images, "images");
        this.samples = samples.clone();
        if (map != null && map.size() != images.featureSize()) {
            throw new IllegalArgumentException("sampling map has " + map.size() + " pixels, images "
                    + images.featureSize());
        }
        this.map = map;
        this.task = task;
        this.taskOf = null;
        this.mapOf = null;
        this.row = new float[images.featureSize()];
        checkSamples();
    }

    private SampleSet(ImageSet images, int[] samples, int[] taskOf, SamplingMap[] mapOf) {
        this.images = images;
        this.samples = samples;
        this.map = null;
        this.task = -1;
        this.taskOf = taskOf;
        this.mapOf = mapOf;
        this.row = new float[images.featureSize()];
    }

    /**
     * Every sample of several tasks' sets as one set (joint training): each sample keeps its task and its
     * transform.
     *
     * @param sets sample sets over the same images
     * @return their union, in the order given
     */
    public static SampleSet union(java.util.List<SampleSet> sets) {
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("no sample sets to join");
        }
        ImageSet images = sets.get(0).images;
        int n = 0;
        for (SampleSet set : sets) {
            if (set.images != images) {
                throw new IllegalArgumentException("sample sets over different images cannot be joined");
            }
            n += set.size();
        }
        int[] samples = new int[n];
        int[] tasks = new int[n];
        SamplingMap[] maps = new SamplingMap[n];
        int k = 0;
        for (SampleSet set : sets) {
            for (int i = 0; i < set.size(); i++, k++) {
                samples[k] = set.samples[i];
                tasks[k] = set.taskAt(i);
                maps[k] = set.mapAt(i);
            }
        }
        return new SampleSet(images, samples, tasks, maps);
    }

    private int taskAt(int position) {
        return taskOf == null ? task : taskOf[position];
    }

    private SamplingMap mapAt(int position) {
        return mapOf == null ? map : mapOf[position];
    }

    private void checkSamples() {
        for (int s : this.samples) {
            if (s < 0 || s >= images.size()) {
                throw new IllegalArgumentException("sample index " + s + " outside 0.." + (images.size() - 1));
            }
        }
    }

    private static SamplingMap permutationMap(ImageSet images, int[] permutation) {
        if (permutation.length != images.featureSize()) {
            throw new IllegalArgumentException("permutation has " + permutation.length + " entries, images "
                    + images.featureSize() + " pixels");
        }
        return SamplingMap.permutation(permutation);
    }

    @Override
    public int size() {
        return samples.length;
    }

    /** @return the task index of the samples, or -1 for a {@link #union} of several tasks */
    public int task() {
        return task;
    }

    /** @return values per sample */
    public int inputSize() {
        return images.featureSize();
    }

    /**
     * @param position a position in {@code [0, size())}
     * @return the label of the sample there
     */
    public int label(int position) {
        return images.label(samples[position]);
    }

    @Override
    public Batch batch(int[] indices, NDManager manager) {
        return batch(indices, 0, indices.length, manager);
    }

    /**
     * Gathers {@code positions[from..to)} into one batch.
     *
     * @param positions positions in {@code [0, size())}
     * @param from first entry of {@code positions} to use
     * @param to one past the last entry
     * @param manager owner of the batch's arrays
     * @return the batch
     */
    public Batch batch(int[] positions, int from, int to, NDManager manager) {
        int n = to - from;
        if (n <= 0 || from < 0 || to > positions.length) {
            throw new IllegalArgumentException("empty or invalid range " + from + ".." + to);
        }
        int f = images.featureSize();
        float[] pixels = images.pixels();
        int[] labels = images.labels();
        ByteBuffer featureBytes = ByteBuffer.allocateDirect(n * f * Float.BYTES).order(ByteOrder.nativeOrder());
        ByteBuffer labelBytes = ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder());
        FloatBuffer features = featureBytes.asFloatBuffer();
        LongBuffer labelView = labelBytes.asLongBuffer();
        long[] tasks = taskOf == null ? null : new long[n];
        for (int k = from; k < to; k++) {
            int position = positions[k];
            if (position < 0 || position >= samples.length) {
                throw new IndexOutOfBoundsException("sample position " + position + " outside 0.."
                        + (samples.length - 1));
            }
            int sample = samples[position];
            int offset = sample * f;
            SamplingMap m = mapAt(position);
            if (tasks != null) {
                tasks[k - from] = taskOf[position];
            }
            if (m == null) {
                features.put(pixels, offset, f);
            } else {
                m.apply(pixels, offset, row);
                features.put(row, 0, f);
            }
            labelView.put(labels[sample]);
        }
        NDArray x = manager.create(featureBytes, new Shape(n, f), DataType.FLOAT32);
        NDArray y = manager.create(labelBytes, new Shape(n), DataType.INT64);
        NDArray t = tasks == null ? manager.full(new Shape(n), task, DataType.INT64) : manager.create(tasks);
        return new Batch(x, y, t);
    }
}
