package io.graft.runtime.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.graft.runtime.config.ModelConfig;
import io.graft.runtime.config.OptimizerConfig;
import io.graft.runtime.config.ScenarioConfig;
import io.graft.runtime.config.TrainConfig;
import io.graft.runtime.kernel.ActivePlugin;
import io.graft.runtime.kernel.RunResult;
import io.graft.runtime.kernel.TrainingKernel;
import io.graft.runtime.scenario.ImageData;
import io.graft.runtime.scenario.ImageSet;
import io.graft.runtime.scenario.Scenario;
import io.graft.runtime.scenario.Scenarios;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Measures, in one JVM, on the same MLP (784-256-256-10 by default), the same data and the same batch size,
 * the training throughput in samples per second of
 * <ol>
 *   <li><b>plain</b>: an idiomatic DJL loop: {@code SequentialBlock} of {@code Linear} + ReLU, a DJL
 *       {@code Trainer} with {@code Loss.softmaxCrossEntropyLoss()} and {@code Optimizer.sgd()}, per batch a
 *       sub-manager, {@code GradientCollector}, {@code trainer.forward}, loss, backward, {@code trainer.step()};</li>
 *   <li><b>kernel</b>: Graft's {@link TrainingKernel} with no plugins;</li>
 *   <li><b>kernel+plugins</b>: the kernel with the plugins of a supplier (a fresh list per repetition).</li>
 * </ol>
 * Both loops shuffle every epoch and gather each batch from the same flat {@code float[]}; evaluation and
 * model construction are outside the timed part. After warm-up repetitions the variants alternate, and the
 * medians and the ratios to the plain loop are printed.
 *
 * Run it with {@code graft bench [--batch N] [--samples N] [--reps N] [--warmup N] [--data DIR]
 * [--plugins ewc,er]}: with {@code --data} the first {@code --samples} training images of an MNIST-format
 * folder replace the random data; with {@code --plugins} the third variant uses those plugins, loaded through
 * Felix as in a run.
 */
public final class KernelBenchmark {

    /**
     * @param batchSize samples per step
     * @param samples training samples per repetition (one epoch)
     * @param repetitions timed repetitions of each variant
     * @param warmup untimed repetitions of each variant first
     * @param hidden hidden layer widths
     * @param learningRate SGD learning rate
     * @param data an MNIST-format folder, or {@code null} for random data
     */
    public record Options(int batchSize, int samples, int repetitions, int warmup, List<Integer> hidden,
                          double learningRate, Path data) {

        /** @return the defaults: batch 32, 16384 samples, 5 repetitions after 2 warm-ups, 256-256, lr 0.01 */
        public static Options defaults() {
            return new Options(32, 16384, 5, 2, List.of(256, 256), 0.01, null);
        }
    }

    /**
     * Samples per second of each variant, per timed repetition, in the order measured.
     *
     * @param samplesPerSecond variant name to its measurements
     */
    public record Report(Map<String, double[]> samplesPerSecond) {

        /**
         * @param variant a variant name
         * @return the median of its measurements
         */
        public double median(String variant) {
            double[] v = samplesPerSecond.get(variant).clone();
            Arrays.sort(v);
            int n = v.length;
            return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        }

        /**
         * The median over repetitions of {@code variant / plain} within the same repetition: robust to load that
         * changes between repetitions.
         *
         * @param variant a variant name
         * @return the median paired ratio to the plain loop
         */
        public double pairedRatio(String variant) {
            return pairedRatio(variant, PLAIN);
        }

        /**
         * @param variant a variant name
         * @param base the variant it is compared with
         * @return the median of the per-repetition ratios {@code variant / base} (runs measured side by side)
         */
        public double pairedRatio(String variant, String base) {
            double[] v = samplesPerSecond.get(variant);
            double[] p = samplesPerSecond.get(base);
            double[] r = new double[Math.min(v.length, p.length)];
            for (int i = 0; i < r.length; i++) {
                r[i] = v[i] / p[i];
            }
            Arrays.sort(r);
            int n = r.length;
            return n == 0 ? Double.NaN : n % 2 == 1 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            double plain = samplesPerSecond.containsKey(PLAIN) ? median(PLAIN) : Double.NaN;
            for (Map.Entry<String, double[]> e : samplesPerSecond.entrySet()) {
                sb.append(String.format(Locale.ROOT, "%-16s median %8.0f samples/s  (runs:", e.getKey(),
                        median(e.getKey())));
                for (double v : e.getValue()) {
                    sb.append(String.format(Locale.ROOT, " %.0f", v));
                }
                sb.append(')');
                if (!e.getKey().equals(PLAIN) && samplesPerSecond.containsKey(PLAIN)) {
                    sb.append(String.format(Locale.ROOT, "  ratio to plain: of medians %.3f, median of paired runs %.3f",
                            median(e.getKey()) / plain, pairedRatio(e.getKey())));
                }
                sb.append('\n');
            }
            if (samplesPerSecond.containsKey(KERNEL_PLUGINS) && samplesPerSecond.containsKey(KERNEL)) {
                double r = pairedRatio(KERNEL_PLUGINS, KERNEL);
                sb.append(String.format(Locale.ROOT, "plugin cost: kernel+plugins / kernel, median of paired runs %.3f"
                        + " (%.1f %% of step time)%n", r, 100 * (1 / r - 1)));
            }
            return sb.toString();
        }
    }

    /** Name of the plain DJL loop. */
    public static final String PLAIN = "plain-djl";
    /** Name of the kernel without plugins. */
    public static final String KERNEL = "kernel";
    /** Name of the kernel with plugins. */
    public static final String KERNEL_PLUGINS = "kernel+plugins";

    private KernelBenchmark() {}

    /**
     * @param count how many
     * @return fresh no-op plugins on every hook, named {@code noop1, noop2, ...}
     */
    public static List<ActivePlugin> noOps(int count) {
        List<ActivePlugin> out = new java.util.ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(new ActivePlugin("noop" + i, "0", new NoOpPlugin()));
        }
        return out;
    }

    /**
     * Runs the benchmark on the CPU.
     *
     * @param o the options
     * @param plugins makes a fresh plugin list for each repetition of variant 3, or {@code null} to skip it
     * @return the measurements
     */
    public static Report run(Options o, Supplier<List<ActivePlugin>> plugins) {
        ImageData data = data(o);
        Scenario scenario = Scenarios.create(new ScenarioConfig(ScenarioConfig.Type.SPLIT, 1,
                data.train().classes().length, null), data, 1);
        Map<String, List<Double>> results = new LinkedHashMap<>();
        results.put(PLAIN, new ArrayList<>());
        results.put(KERNEL, new ArrayList<>());
        if (plugins != null) {
            results.put(KERNEL_PLUGINS, new ArrayList<>());
        }
        for (int r = 0; r < o.warmup() + o.repetitions(); r++) {
            boolean timed = r >= o.warmup();
            long t0 = System.nanoTime();
            double plain = plainLoop(data.train(), o, r);
            long t1 = System.nanoTime();
            double kernel = kernel(scenario, o, List.of(), r);
            long t2 = System.nanoTime();
            if (Boolean.getBoolean("graft.bench.verbose")) {
                System.err.printf(Locale.ROOT, "rep %d: plain %.2fs (%.0f/s), kernel %.2fs (%.0f/s)%n", r, (t1 - t0) / 1e9,
                        plain, (t2 - t1) / 1e9, kernel);
            }
            if (timed) {
                results.get(PLAIN).add(plain);
                results.get(KERNEL).add(kernel);
            }
            if (plugins != null) {
                long t3 = System.nanoTime();
                double withPlugins = kernel(scenario, o, plugins.get(), r);
                if (Boolean.getBoolean("graft.bench.verbose")) {
                    System.err.printf(Locale.ROOT, "rep %d: kernel+plugins %.2fs (%.0f/s)%n", r,
                            (System.nanoTime() - t3) / 1e9, withPlugins);
                }
                if (timed) {
                    results.get(KERNEL_PLUGINS).add(withPlugins);
                }
            }
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        results.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        return new Report(out);
    }

    private static ImageData data(Options o) {
        if (o.data() != null) {
            ImageData full = ImageData.load(o.data());
            return new ImageData(head(full.train(), o.samples()), head(full.test(), 1000));
        }
        return new ImageData(random(o.samples(), 1), random(1000, 2));
    }

    private static ImageSet head(ImageSet set, int n) {
        int k = Math.min(n, set.size());
        return new ImageSet(Arrays.copyOf(set.pixels(), k * set.featureSize()), Arrays.copyOf(set.labels(), k),
                set.rows(), set.cols());
    }

    private static ImageSet random(int n, long seed) {
        Random r = new Random(seed);
        float[] pixels = new float[n * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = r.nextFloat();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return new ImageSet(pixels, labels, 28, 28);
    }

    private static double kernel(Scenario scenario, Options o, List<ActivePlugin> plugins, int rep) {
        TrainingKernel k = new TrainingKernel(scenario, new ModelConfig("mlp", o.hidden()),
                new TrainConfig(1, o.batchSize(), 1000, 50, new OptimizerConfig("sgd", o.learningRate(), 0.0)),
                rep, Device.cpu(), plugins, List.of());
        RunResult result = k.run();
        return result.trainSamplesPerSecond();
    }

    /** The idiomatic DJL loop; returns samples per second of the batch loop. */
    static double plainLoop(ImageSet train, Options o, int rep) {
        int f = train.featureSize();
        int n = train.size();
        int batch = o.batchSize();
        float[] pixels = train.pixels();
        int[] labels = train.labels();
        int outputs = train.labelBound();
        SequentialBlock net = new SequentialBlock();
        for (int width : o.hidden()) {
            net.add(Linear.builder().setUnits(width).build());
            net.add(Activation::relu);
        }
        net.add(Linear.builder().setUnits(outputs).build());
        try (Model model = Model.newInstance("plain-djl", Device.cpu())) {
            model.setBlock(net);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed((float) o.learningRate()))
                            .build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch, f));
                int[] order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                Random shuffle = new Random(rep);
                float[] x = new float[batch * f];
                long[] y = new long[batch];
                long start = System.nanoTime();
                for (int i = n - 1; i > 0; i--) {
                    int j = shuffle.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                for (int from = 0; from < n; from += batch) {
                    int to = Math.min(n, from + batch);
                    int rows = to - from;
                    for (int k = 0; k < rows; k++) {
                        int s = order[from + k];
                        System.arraycopy(pixels, s * f, x, k * f, f);
                        y[k] = labels[s];
                    }
                    try (NDManager sm = trainer.getManager().newSubManager()) {
                        NDArray features = sm.create(rows == batch ? x : Arrays.copyOf(x, rows * f),
                                new Shape(rows, f));
                        NDArray target = sm.create(rows == batch ? y : Arrays.copyOf(y, rows));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList predictions = trainer.forward(new NDList(features));
                            NDArray loss = trainer.getLoss().evaluate(new NDList(target), predictions);
                            gc.backward(loss);
                        }
                        trainer.step();
                    }
                }
                return n / ((System.nanoTime() - start) / 1e9);
            }
        }
    }
}
