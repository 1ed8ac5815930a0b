package io.graft.plugin.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.model.TaskInfo;
import io.graft.api.train.MetricSink;
import io.graft.api.train.TaskContext;
import io.graft.api.trigger.TrainingSignals;
import io.graft.plugin.testkit.Contexts;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Structured pruning of hidden units on real DJL arrays, hand-computed. */
class StructuredPrunerTest {

    private static final TaskInfo TASK = new TaskInfo(0, "all", new int[] {0, 1});

    private final NDManager manager = NDManager.newBaseManager();
    private final Map<String, Double> metrics = new HashMap<>();
    private final MetricSink sink = metrics::put;

    @AfterEach
    void close() {
        manager.close();
    }

    /** fc1: 4 units of 2 inputs with incoming-weight norms 5, 1, 10, 2; out: 2x4. */
    private TinyNet net() {
        return new TinyNet(manager)
                .add("fc1.weight", new float[] {3, 4, 0.6f, 0.8f, 6, -8, 0, 2}, 4, 2)
                .add("fc1.bias", new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 4)
                .add("out.weight", new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4)
                .add("out.bias", new float[] {0, 0}, 2);
    }

    private TaskContext task(TinyNet net) {
        return Contexts.task(TASK, null, net, manager, sink, new Random(7));
    }

    @Test
    void switchesOffTheUnitsWithTheSmallestIncomingNormsWholly() {
        TinyNet net = net();
        StructuredPruner pruner = new StructuredPruner(0.5, SparsityRamp.GEOMETRIC, new PruneClock(1, 0.5, 1.0));
        pruner.onRunStart(Contexts.run(net, manager, sink, new Random(7)));
        Map<String, NDArray> masks = pruner.prune(task(net));
        assertEquals(Set.of("fc1.weight", "fc1.bias"), masks.keySet(), "the head is never pruned");
        // keeps units 0 (norm 5) and 2 (norm 10): their rows and biases
        assertArrayEquals(new float[] {1, 1, 0, 0, 1, 1, 0, 0}, masks.get("fc1.weight").toFloatArray());
        assertArrayEquals(new float[] {1, 0, 1, 0}, masks.get("fc1.bias").toFloatArray());
        assertEquals(2.0, metrics.get("units.fc1"));
        assertEquals(0.5, metrics.get("sparsity"), 1e-12);
    }

    @Test
    void switchesOffWholeChannelsOfAConvolutionWithTheirBatchNorm() {
        // conv1: 3 channels of 1 input, 1x2 kernels, filter norms 5, 1, 10; out reads 3 flattened channels
        TinyNet net = new TinyNet(manager)
                .add("conv1.weight", new float[] {3, 4, 0.6f, 0.8f, 6, -8}, 3, 1, 1, 2)
                .add("conv1.bias", new float[] {0.1f, 0.2f, 0.3f}, 3)
                .add("conv1.bn.gamma", new float[] {1, 1, 1}, 3)
                .add("conv1.bn.beta", new float[] {0, 0, 0}, 3)
                .add("out.weight", new float[] {1, 2, 3, 4, 5, 6}, 2, 3)
                .add("out.bias", new float[] {0, 0}, 2);
        StructuredPruner pruner = new StructuredPruner(0.34, SparsityRamp.GEOMETRIC, new PruneClock(1, 0.5, 1.0));
        pruner.onRunStart(Contexts.run(net, manager, sink, new Random(7)));
        Map<String, NDArray> masks = pruner.prune(task(net));
        assertEquals(Set.of("conv1.weight", "conv1.bias", "conv1.bn.gamma", "conv1.bn.beta"), masks.keySet());
        assertEquals(net.parameter("conv1.weight").array().getShape(), masks.get("conv1.weight").getShape());
        assertArrayEquals(new float[] {1, 1, 0, 0, 1, 1}, masks.get("conv1.weight").toFloatArray());
        for (String vector : new String[] {"conv1.bias", "conv1.bn.gamma", "conv1.bn.beta"}) {
            assertArrayEquals(new float[] {1, 0, 1}, masks.get(vector).toFloatArray(), vector);
        }
        assertEquals(2.0, metrics.get("units.conv1"));
    }

    @Test
    void stagesRemoveMoreUnitsAndASwitchedOffUnitNeverReturns() {
        TinyNet net = net();
        StructuredPruner pruner = new StructuredPruner(0.75, SparsityRamp.GEOMETRIC, new PruneClock(2, 0.5, 1.0));
        pruner.onRunStart(Contexts.run(net, manager, sink, new Random(7)));
        TrainingSignals step = mock(TrainingSignals.class);
        pruner.onTaskStart(task(net));
        pruner.afterStep(Contexts.step(0, TASK, 0, 4, net, manager, manager, sink));
        assertFalse(pruner.fires(step));
        pruner.afterStep(Contexts.step(1, TASK, 1, 4, net, manager, manager, sink));
        assertTrue(pruner.fires(step));
        // stage 1 of 2, geometric: keep (1 - 0.75)^(1/2) = 0.5 of 4 units: 0 and 2
        Map<String, NDArray> first = pruner.prune(task(net));
        assertArrayEquals(new float[] {1, 0, 1, 0}, first.get("fc1.bias").toFloatArray());
        // unit 1's incoming weights grow large, but it stays off; stage 2 keeps 1 unit: unit 2
        net.set("fc1.weight", 3, 4, 60, 80, 6, -8, 0, 2);
        Map<String, NDArray> second = pruner.prune(task(net));
        assertArrayEquals(new float[] {0, 0, 1, 0}, second.get("fc1.bias").toFloatArray());
        assertEquals(1.0, metrics.get("units.fc1"));
    }

    @Test
    void aShareThatWouldEmptyALayerIsRefusedAtRunStart() {
        TinyNet net = net();
        StructuredPruner pruner = new StructuredPruner(0.9, SparsityRamp.CUBIC, new PruneClock(1, 0.5, 1.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pruner.onRunStart(Contexts.run(net, manager, sink, new Random(7))));
        assertEquals("structured: sparsity 0.9 would remove every unit of fc1 (4 units); lower it below 0.75",
                e.getMessage());
    }
}
