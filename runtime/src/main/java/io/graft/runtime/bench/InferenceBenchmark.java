package io.graft.runtime.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.graft.runtime.kernel.MlpHost;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Inference latency of MLP hosts of different shapes on the same inputs: what physical shrinking buys.
 * Parameters and multiply-accumulates are counted from the shapes; latency is measured (median over
 * repetitions of one forward pass of a batch, after warm-up), each shape in turn, interleaved, in one JVM.
 */
public final class InferenceBenchmark {

    private InferenceBenchmark() {}

    /**
     * @param hidden the hidden widths of one host
     * @param parameters its scalar weights
     * @param macs multiply-accumulates per sample
     * @param millisPerBatch median latency of one batch's forward pass
     */
    public record Row(List<Integer> hidden, long parameters, long macs, double millisPerBatch) {}

    /**
     * @param inputs values per sample
     * @param outputs logits
     * @param shapes the hosts' hidden widths, the first one the reference
     * @param batch samples per forward pass
     * @param warmup passes not timed
     * @param reps timed passes per shape
     * @param device where to run
     * @return one row per shape, in order
     */
    public static List<Row> run(int inputs, int outputs, List<List<Integer>> shapes, int batch, int warmup, int reps,
                                Device device) {
        List<Row> rows = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            List<MlpHost> hosts = new ArrayList<>();
            for (List<Integer> hidden : shapes) {
                hosts.add(new MlpHost(manager, inputs, hidden, outputs, 1));
            }
            float[] x = new float[batch * inputs];
            Random r = new Random(7);
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat();
            }
            NDArray features = manager.create(x, new Shape(batch, inputs));
            double[][] times = new double[shapes.size()][reps];
            for (int rep = -warmup; rep < reps; rep++) {
                for (int h = 0; h < hosts.size(); h++) {
                    try (NDManager pass = manager.newSubManager()) {
                        NDArray in = features.duplicate();
                        in.attach(pass);
                        long start = System.nanoTime();
                        hosts.get(h).predict(in).toFloatArray();
                        double ms = (System.nanoTime() - start) / 1e6;
                        if (rep >= 0) {
                            times[h][rep] = ms;
                        }
                    }
                }
            }
            for (int h = 0; h < shapes.size(); h++) {
                double[] t = times[h].clone();
                Arrays.sort(t);
                rows.add(new Row(List.copyOf(shapes.get(h)), hosts.get(h).parameterCount(),
                        macs(inputs, shapes.get(h), outputs), t[t.length / 2]));
            }
        }
        return rows;
    }

    /** @return multiply-accumulates per sample of a dense MLP */
    static long macs(int inputs, List<Integer> hidden, int outputs) {
        long macs = 0;
        int fanIn = inputs;
        for (int w : hidden) {
            macs += (long) fanIn * w;
            fanIn = w;
        }
        return macs + (long) fanIn * outputs;
    }

    /**
     * @param rows the measured rows, the first the reference
     * @return a table, with each shape's speed-up over the first
     */
    public static String format(List<Row> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-20s %12s %12s %14s %9s%n", "hidden",
                "parameters", "MACs/sample", "ms per batch", "speed-up"));
        double reference = rows.get(0).millisPerBatch();
        for (Row row : rows) {
            sb.append(String.format(Locale.ROOT, "%-20s %,12d %,12d %14.3f %8.2fx%n", row.hidden(), row.parameters(),
                    row.macs(), row.millisPerBatch(), reference / row.millisPerBatch()));
        }
        return sb.toString();
    }
}
