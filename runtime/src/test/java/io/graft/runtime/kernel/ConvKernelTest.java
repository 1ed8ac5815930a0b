package io.graft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.graft.api.Protocol;
import io.graft.api.pruning.Pruner;
import io.graft.api.train.TaskContext;
import io.graft.runtime.UserException;
import io.graft.runtime.config.ModelConfig;
import io.graft.runtime.config.ScenarioConfig;
import io.graft.runtime.scenario.ImageData;
import io.graft.runtime.scenario.Scenario;
import io.graft.runtime.scenario.Scenarios;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kernel with the convolutional host: learning, reproducibility, heads, shrinking and refusals. */
class ConvKernelTest {

    private static final Path MINI = Path.of("../examples/data/fashion-mnist-mini").toAbsolutePath().normalize();

    /** The first {@code n} images of a set (the mini set's file order mixes the classes well enough). */
    static io.graft.runtime.scenario.ImageSet first(io.graft.runtime.scenario.ImageSet set, int n) {
        int size = set.featureSize();
        return new io.graft.runtime.scenario.ImageSet(java.util.Arrays.copyOf(set.pixels(), n * size),
                java.util.Arrays.copyOf(set.labels(), n), set.rows(), set.cols());
    }

    static ModelConfig cnn(List<Integer> conv, List<Integer> hidden) {
        return new ModelConfig(ModelConfig.CNN, hidden, null, null, conv);
    }

    @Test
    void aTinyCnnLearnsFashionMnistAndRepeatsExactly() {
        ImageData mini = ImageData.load(MINI);
        // 2,000 training images keep the test fast on busy cores (PyTorch's threads wait for each other there)
        ImageData small = new ImageData(first(mini.train(), 2000), first(mini.test(), 500));
        Scenario one = Scenarios.create(new ScenarioConfig(ScenarioConfig.Type.SPLIT, 1, 10, null), small, 3);
        List<RunResult> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(new TrainingKernel(one, cnn(List.of(4, 8), List.of(16)), TestData.train(1, 32, 0.05), 5,
                    Device.cpu(), List.of(), List.of()).run());
        }
        double accuracy = runs.get(0).matrix(Protocol.CLASS_IL).get(0, 0);
        System.out.println("[cnn] 2,000 images of fashion-mnist-mini, conv [4, 8], hidden [16], 1 epoch: accuracy " + accuracy
                + ", " + runs.get(0).parameterCount() + " weights");
        assertTrue(accuracy > 0.6, "a CNN learns far above chance (0.1): " + accuracy);
        assertEquals(runs.get(0).matrix(Protocol.CLASS_IL), runs.get(1).matrix(Protocol.CLASS_IL), "same seed, same run");
    }

    @Test
    void multipleHeadsAndEvaluationLeaveTheStatisticsAlone() {
        List<float[]> atEnd = new ArrayList<>();
        List<float[]> atStart = new ArrayList<>();
        io.graft.api.Plugin watch = new io.graft.api.Plugin() {
            @Override
            public void onTaskStart(TaskContext task) {
                atStart.add(statistics(task));
            }

            @Override
            public void onTaskEnd(TaskContext task) {
                atEnd.add(statistics(task));
            }
        };
        ModelConfig multi = new ModelConfig(ModelConfig.CNN, List.of(8), ModelConfig.MULTI_HEAD, null, List.of(4));
        Scenario split = TestData.split(2, 2).withProtocols(List.of(Protocol.TASK_IL));
        TrainingKernel kernel = new TrainingKernel(split, multi, TestData.train(3, 16, 0.1), 1, Device.cpu(),
                List.of(new ActivePlugin("watch", "1", watch)), List.of());
        RunResult r = kernel.run();
        assertTrue(r.matrix(Protocol.TASK_IL).get(1, 1) > 0.9, r.matrix(Protocol.TASK_IL).toString());
        // the evaluation after task 0 runs between its end and the start of task 1: the statistics stay put
        assertArrayEquals(atEnd.get(0), atStart.get(1), 0f);
        assertTrue(ConvTraining.maxDifference(atStart.get(0), atEnd.get(0)) > 0, "training moved them");
    }

    /** The plugins' model view is the live host itself. */
    private static float[] statistics(TaskContext task) {
        return ((Host) task.model()).buffers().get("conv1.bn.runningMean").toFloatArray();
    }

    /** Masks the second half of conv1's channels entirely at the end of the first task. */
    static final class HalfTheChannels implements Pruner {
        @Override
        public Map<String, NDArray> prune(TaskContext task) {
            if (task.task().index() > 0) {
                return Map.of();
            }
            NDArray w = task.model().parameter("conv1.weight").array();
            int channels = (int) w.getShape().get(0);
            int row = (int) (w.size() / channels);
            float[] wm = new float[channels * row];
            float[] cm = new float[channels];
            for (int j = 0; j < channels / 2; j++) {
                cm[j] = 1;
                java.util.Arrays.fill(wm, j * row, (j + 1) * row, 1f);
            }
            Shape vector = new Shape(channels);
            return Map.of("conv1.weight", task.manager().create(wm, w.getShape()),
                    "conv1.bias", task.manager().create(cm, vector),
                    "conv1.bn.gamma", task.manager().create(cm, vector),
                    "conv1.bn.beta", task.manager().create(cm, vector));
        }
    }

    @Test
    void shrinkingRemovesTheChannelsPruningSwitchedOffWithoutChangingAccuracies() {
        List<GrowthEvent> seen = new ArrayList<>();
        KernelListener listener = new KernelListener() {
            @Override
            public void onGrowth(GrowthEvent event) {
                seen.add(event);
            }
        };
        ModelConfig shrinking = new ModelConfig(ModelConfig.CNN, List.of(), null, true, List.of(8));
        RunResult shrunk = new TrainingKernel(TestData.split(2, 2), shrinking, TestData.train(1, 16, 0.1), 3,
                Device.cpu(), List.of(new ActivePlugin("half", "1", new HalfTheChannels())), List.of(listener)).run();
        RunResult masked = new TrainingKernel(TestData.split(2, 2), cnn(List.of(8), List.of()),
                TestData.train(1, 16, 0.1), 3, Device.cpu(),
                List.of(new ActivePlugin("half", "1", new HalfTheChannels())), List.of()).run();
        assertEquals(1, seen.size());
        assertEquals("remove_units", seen.get(0).operation());
        assertEquals("8 -> 4 channels", seen.get(0).detail());
        // 4x4 images pooled to 2x2: 4 channels x 4 pixels into the head
        assertEquals(4 * 9 + 4 * 3 + 4 * 16 + 4, shrunk.parameterCount());
        assertEquals(masked.matrix(Protocol.TASK_IL), shrunk.matrix(Protocol.TASK_IL));
        assertEquals(masked.matrix(Protocol.CLASS_IL), shrunk.matrix(Protocol.CLASS_IL));
    }

    @Test
    void aChannelWhoseBatchNormShiftIsNotMaskedStays() {
        List<GrowthEvent> seen = new ArrayList<>();
        Pruner filtersOnly = task -> {
            NDArray w = task.model().parameter("conv1.weight").array();
            return Map.of("conv1.weight", task.manager().zeros(w.getShape()),
                    "conv1.bias", task.manager().zeros(new Shape(w.getShape().get(0))));
        };
        new TrainingKernel(TestData.split(1, 2), new ModelConfig(ModelConfig.CNN, List.of(), null, true, List.of(2)),
                TestData.train(1, 16, 0.1), 3, Device.cpu(), List.of(new ActivePlugin("filters", "1", filtersOnly)),
                List.of(new KernelListener() {
                    @Override
                    public void onGrowth(GrowthEvent event) {
                        seen.add(event);
                    }
                })).run();
        assertEquals(List.of(), seen, "BatchNorm's shift still makes the channel's output");
    }

    @Test
    void settingsTheHostCannotUseAreRefused() {
        Scenario s = TestData.split(1, 2);
        UserException deep = assertThrows(UserException.class, () -> new TrainingKernel(s, cnn(List.of(2, 2, 2),
                List.of()), TestData.train(1, 16, 0.1), 1, Device.cpu(), List.of(), List.of()));
        assertEquals("model.conv has 3 blocks, but each halves the image and 4x4 images allow at most 2; list fewer",
                deep.getMessage());
        UserException mlp = assertThrows(UserException.class, () -> new TrainingKernel(s,
                new ModelConfig("mlp", List.of(4), null, null, List.of(4)), TestData.train(1, 16, 0.1), 1,
                Device.cpu(), List.of(), List.of()));
        assertTrue(mlp.getMessage().startsWith("model.conv lists convolutional blocks"), mlp.getMessage());
        UserException other = assertThrows(UserException.class, () -> new TrainingKernel(s,
                new ModelConfig("rnn", List.of(4)), TestData.train(1, 16, 0.1), 1, Device.cpu(), List.of(), List.of()));
        assertEquals("model.type 'rnn' is not supported; use mlp or cnn", other.getMessage());
        assertEquals(List.of(16, 32), new ModelConfig("cnn", null).conv(), "the default blocks");
    }
}
