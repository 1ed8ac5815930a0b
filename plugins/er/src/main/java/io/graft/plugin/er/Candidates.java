package io.graft.plugin.er;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.graft.api.model.Batch;
import io.graft.api.train.TaskContext;
import io.graft.api.train.TaskData;
import io.graft.plugin.support.HostArrays;
import io.graft.plugin.support.Sampling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The samples of a finished task among which herding chooses each class's exemplars, with their herding features.
 *
 * <p>The api of this version lets a plugin see the model only through {@code ModelView.predict}, which gives the
 * logits; there is no view of a hidden layer. The feature vector of a sample is therefore its logits under the
 * model at task end, L2-normalised (as iCaRL normalises its features). They are computed in batches of
 * {@link #BATCH} samples, each in a sub-manager of the run manager that is closed straight after, so nothing of
 * the collection stays on the device.
 *
 * <p>With a cap, the task's data is read in a random order (the plugin's random source) until every class of the
 * task has {@code cap} candidates or the data runs out, so each class's candidates are a uniform sample of it.
 */
final class Candidates {

    /** Samples per forward pass. */
    static final int BATCH = 256;

    /**
     * One class's candidates.
     *
     * @param label the class label
     * @param count how many candidates
     * @param inputs their features as the model takes them, {@code count} rows of the sample's length
     * @param features their L2-normalised logits, {@code count} rows of {@code dim} values
     */
    record OfClass(long label, int count, float[] inputs, double[] features) {

        /**
         * @param rows candidate indices
         * @return the inputs of those candidates, in that order
         */
        float[] inputs(int[] rows) {
            int length = inputs.length / count;
            float[] out = new float[rows.length * length];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(inputs, rows[i] * length, out, i * length, length);
            }
            return out;
        }
    }

    private final List<OfClass> classes;
    private final long[] sampleShape;
    private final DataType featureType;
    private final int dim;

    private Candidates(List<OfClass> classes, long[] sampleShape, DataType featureType, int dim) {
        this.classes = classes;
        this.sampleShape = sampleShape;
        this.featureType = featureType;
        this.dim = dim;
    }

    /** @return the classes found in the task's data, in label order */
    List<OfClass> classes() {
        return classes;
    }

    /** @return the shape of one sample, or {@code null} when the task had no data */
    long[] sampleShape() {
        return sampleShape == null ? null : sampleShape.clone();
    }

    /** @return the data type of the task's features */
    DataType featureType() {
        return featureType;
    }

    /** @return the length of one herding feature vector (the model's outputs) */
    int dim() {
        return dim;
    }

    /**
     * Reads the candidates of a finished task.
     *
     * @param task the task at its end, with its training data and the model as trained on it
     * @param cap the most candidates per class, or 0 for every sample of the class
     * @param random the source of the reading order when capped
     * @return the candidates of every class in the task's data
     */
    static Candidates collect(TaskContext task, int cap, Random random) {
        TaskData data = task.data();
        int n = data.size();
        int[] order = cap == 0 ? null : Sampling.withoutReplacement(n, n, random);
        Set<Long> open = new HashSet<>();
        for (int c : task.task().classes()) {
            open.add((long) c);
        }
        Map<Long, Growing> byLabel = new LinkedHashMap<>();
        long[] shape = null;
        DataType type = DataType.FLOAT32;
        int dim = 0;
        // with a cap, stop once every class the task declares has its share; other labels found on the way count too
        for (int from = 0; from < n && (cap == 0 || !open.isEmpty()); from += BATCH) {
            int k = Math.min(BATCH, n - from);
            int[] indices = new int[k];
            for (int i = 0; i < k; i++) {
                indices[i] = order == null ? from + i : order[from + i];
            }
            try (NDManager scratch = task.manager().newSubManager()) {
                Batch batch = data.batch(indices, scratch);
                NDArray logits = task.model().predict(batch.features());
                if (shape == null) {
                    shape = batch.features().getShape().slice(1).getShape();
                    type = batch.features().getDataType();
                    dim = Math.toIntExact(logits.getShape().get(1));
                }
                float[] x = HostArrays.floats(batch.features());
                long[] y = HostArrays.longs(batch.labels());
                float[] z = HostArrays.floats(logits);
                int length = x.length / k;
                for (int i = 0; i < k; i++) {
                    Growing g = byLabel.computeIfAbsent(y[i], label -> new Growing());
                    if (cap > 0 && g.count == cap) {
                        continue;
                    }
                    g.add(x, i * length, length, z, i * dim, dim);
                    if (g.count == cap) {
                        open.remove(y[i]);
                    }
                }
            }
        }
        List<OfClass> classes = new ArrayList<>();
        for (Map.Entry<Long, Growing> e : byLabel.entrySet()) {
            Growing g = e.getValue();
            classes.add(new OfClass(e.getKey(), g.count, Arrays.copyOf(g.inputs, g.inputsLength),
                    Arrays.copyOf(g.features, g.featuresLength)));
        }
        classes.sort(Comparator.comparingLong(OfClass::label));
        return new Candidates(List.copyOf(classes), shape, type, dim);
    }

    /** One class's candidates while they are read. */
    private static final class Growing {
        private float[] inputs = new float[0];
        private double[] features = new double[0];
        private int inputsLength;
        private int featuresLength;
        private int count;

        void add(float[] x, int xFrom, int length, float[] z, int zFrom, int dim) {
            if (inputsLength + length > inputs.length) {
                inputs = Arrays.copyOf(inputs, Math.max(inputsLength + length, 2 * inputs.length));
            }
            System.arraycopy(x, xFrom, inputs, inputsLength, length);
            inputsLength += length;
            if (featuresLength + dim > features.length) {
                features = Arrays.copyOf(features, Math.max(featuresLength + dim, 2 * features.length));
            }
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                norm += (double) z[zFrom + j] * z[zFrom + j];
            }
            // an all-zero logit vector has no direction: it stays zero rather than becoming NaN
            double scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
            for (int j = 0; j < dim; j++) {
                features[featuresLength + j] = z[zFrom + j] * scale;
            }
            featuresLength += dim;
            count++;
        }
    }
}
