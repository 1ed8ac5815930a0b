package io.graft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The convolutional host: shapes, names, initialisation, BatchNorm's two modes, snapshots and gradients. */
class ConvHostTest {

    private static final int[] FMNIST = {1, 28, 28};
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void namesShapesAndTheForwardPass() {
        ConvHost host = new ConvHost(manager, FMNIST, List.of(4, 8), List.of(16), 10, 1);
        assertEquals(List.of("conv1", "conv2", "fc1", "out"), host.layers());
        List<String> names = host.parameters().stream().map(Parameter::name).toList();
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv1.bn.gamma", "conv1.bn.beta", "conv2.weight",
                "conv2.bias", "conv2.bn.gamma", "conv2.bn.beta", "fc1.weight", "fc1.bias", "out.weight", "out.bias"),
                names);
        assertEquals(new Shape(4, 1, 3, 3), host.parameter("conv1.weight").array().getShape());
        assertEquals(new Shape(8, 4, 3, 3), host.parameter("conv2.weight").array().getShape());
        // 28 -> 14 -> 7 after two pools: 8 channels of 7x7
        assertEquals(new Shape(16, 8 * 49), host.parameter("fc1.weight").array().getShape());
        assertEquals(List.of("conv1.bn.runningMean", "conv1.bn.runningVar", "conv2.bn.runningMean",
                "conv2.bn.runningVar"), List.copyOf(host.buffers().keySet()));
        long count = 4 * 9 + 4 + 4 + 4 + 8 * 4 * 9 + 8 + 8 + 8 + 16 * 392 + 16 + 10 * 16 + 10;
        assertEquals(count, host.parameterCount());
        NDArray logits = host.predict(ConvTraining.images(manager, new Random(1), 5, FMNIST));
        assertEquals(new Shape(5, 10), logits.getShape());
        assertEquals(new Shape(3, 10), new ConvHost(manager, new int[] {2, 5, 7}, List.of(3), List.of(), 10, 1)
                .predict(manager.randomUniform(0, 1, new Shape(3, 70))).getShape(), "odd sizes pool down (5x7 -> 2x3)");
    }

    @Test
    void initialisationIsPyTorchsDefaultAndRepeats() {
        ConvHost a = new ConvHost(manager, FMNIST, List.of(6), List.of(), 10, 42);
        ConvHost b = new ConvHost(manager, FMNIST, List.of(6), List.of(), 10, 42);
        for (Parameter p : a.parameters()) {
            assertArrayEquals(p.array().toFloatArray(), b.parameter(p.name()).array().toFloatArray(), p.name());
        }
        float bound = (float) (1 / Math.sqrt(9));
        for (float w : a.parameter("conv1.weight").array().toFloatArray()) {
            assertTrue(Math.abs(w) <= bound, "conv weight " + w + " within 1/sqrt(fan_in)");
        }
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, a.parameter("conv1.bn.gamma").array().toFloatArray());
        assertArrayEquals(new float[6], a.parameter("conv1.bn.beta").array().toFloatArray());
        assertArrayEquals(new float[6], a.buffers().get("conv1.bn.runningMean").toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, a.buffers().get("conv1.bn.runningVar").toFloatArray());
        assertNotEquals(a.parameter("out.weight").array().getFloat(0, 0),
                new ConvHost(manager, FMNIST, List.of(6), List.of(), 10, 43).parameter("out.weight").array().getFloat(0, 0));
    }

    @Test
    void trainingUpdatesTheRunningStatisticsAndEvaluationDoesNot() {
        ConvHost host = new ConvHost(manager, new int[] {1, 6, 6}, List.of(3), List.of(), 4, 7);
        NDArray x = ConvTraining.images(manager, new Random(2), 8, new int[] {1, 6, 6});
        host.predict(x);
        host.forward(x, ForwardMasks.NONE);
        assertArrayEquals(new float[3], host.buffers().get("conv1.bn.runningMean").toFloatArray(), "evaluation");
        assertArrayEquals(new float[] {1, 1, 1}, host.buffers().get("conv1.bn.runningVar").toFloatArray());

        // PyTorch's rule: running ← 0.9·running + 0.1·batch statistic, the variance unbiased
        NDArray conv = Conv2d.conv2d(x.reshape(8, 1, 6, 6), host.parameter("conv1.weight").array(),
                host.parameter("conv1.bias").array(), new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                .singletonOrThrow();
        float[] values = conv.transpose(1, 0, 2, 3).reshape(3, -1).toFloatArray();
        int per = values.length / 3;
        float[] mean = new float[3];
        float[] var = new float[3];
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (int i = 0; i < per; i++) {
                sum += values[c * per + i];
            }
            double mu = sum / per;
            double sq = 0;
            for (int i = 0; i < per; i++) {
                sq += (values[c * per + i] - mu) * (values[c * per + i] - mu);
            }
            mean[c] = (float) (0.1 * mu);
            var[c] = (float) (0.9 + 0.1 * sq / (per - 1));
        }
        host.forward(x, ForwardMasks.NONE, true);
        assertArrayEquals(mean, host.buffers().get("conv1.bn.runningMean").toFloatArray(), 1e-5f);
        assertArrayEquals(var, host.buffers().get("conv1.bn.runningVar").toFloatArray(), 1e-5f);
    }

    @Test
    void snapshotsCopyParametersAndStatisticsAndGradientsCoverBatchNorm() {
        int[] shape = {1, 8, 8};
        ConvHost host = new ConvHost(manager, shape, List.of(3, 5), List.of(6), 4, 3);
        Random r = new Random(4);
        ConvTraining.train(host, new Sgd(0.1, 0.9, manager), manager, r, 3, shape);
        NDArray x = ConvTraining.images(manager, r, 10, shape);
        float[] before = host.predict(x).toFloatArray();
        ModelView copy = host.snapshot(manager);
        assertArrayEquals(before, copy.predict(x).toFloatArray(), 0f);
        ConvTraining.train(host, new Sgd(0.1, 0.9, manager), manager, r, 2, shape);
        assertArrayEquals(before, copy.predict(x).toFloatArray(), 0f, "the snapshot is frozen, running stats too");
        assertTrue(ConvTraining.maxDifference(before, host.predict(x).toFloatArray()) > 0);

        NDArray labels = manager.create(new long[] {0, 1, 2, 3, 0, 1, 2, 3, 0, 1});
        Map<String, NDArray> g = host.gradients(x, logits -> logits.logSoftmax(1).gather(labels.reshape(-1, 1), 1)
                .mean().neg(), manager);
        assertEquals(host.parameters().stream().map(Parameter::name).toList(), List.copyOf(g.keySet()));
        assertTrue(g.get("conv1.bn.gamma").abs().sum().getFloat() > 0, "BatchNorm's scale gets a gradient");
        float[] mean = host.buffers().get("conv2.bn.runningMean").toFloatArray();
        host.gradients(x, logits -> logits.sum(), manager);
        assertArrayEquals(mean, host.buffers().get("conv2.bn.runningMean").toFloatArray(), 0f,
                "gradients run in evaluation mode");
    }

    @Test
    void unitMasksMultiplyChannels() {
        int[] shape = {1, 4, 4};
        ConvHost host = new ConvHost(manager, shape, List.of(2), List.of(), 3, 5);
        NDArray x = ConvTraining.images(manager, new Random(5), 4, shape);
        ForwardMasks offSecond = new ForwardMasks() {
            @Override
            public NDArray weight(HostParameter parameter) {
                return null;
            }

            @Override
            public NDArray units(String layer, int width) {
                return manager.create(new float[] {1, 0});
            }
        };
        ForwardMasks zeroedSecond = new ForwardMasks() {
            @Override
            public NDArray weight(HostParameter parameter) {
                return parameter.name().startsWith("conv1.bn") ? manager.create(new float[] {1, 0}) : null;
            }

            @Override
            public NDArray units(String layer, int width) {
                return null;
            }
        };
        assertArrayEquals(host.forward(x, offSecond).toFloatArray(), host.forward(x, zeroedSecond).toFloatArray(), 1e-6f);
    }

    @Test
    void tooManyBlocksForTheImageAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConvHost(manager, new int[] {1, 4, 4}, List.of(2, 2, 2), List.of(), 2, 1));
        assertTrue(e.getMessage().contains("use at most 2 blocks"), e.getMessage());
    }
}
