package io.graft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.graft.api.Protocol;
import io.graft.api.growth.GrowthPolicy;
import io.graft.api.growth.StructureEditor;
import io.graft.api.train.TaskContext;
import io.graft.api.trigger.TriggerCondition;
import io.graft.runtime.UserException;
import io.graft.runtime.config.OptimizerConfig;
import io.graft.runtime.config.TrainConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Function-preserving growth of the MLP host, with the optimizer's state and the pruning masks carried over. */
class HostGrowthTest {

    private NDManager manager;
    private final List<GrowthEvent> events = new ArrayList<>();

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private HostGrowth editor(MlpHost host, Sgd sgd, Map<String, NDArray> masks, long seed) {
        return new HostGrowth(host, sgd, masks, new Random(seed), events::add);
    }

    private NDArray inputs(Random r, int n, int features) {
        float[] x = new float[n * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        return manager.create(x, new Shape(n, features));
    }

    private static float maxDifference(float[] a, float[] b) {
        float worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    @Test
    void widenAndIdentityInsertionPreserveTheFunctionOverRandomShapes() {
        Random r = new Random(11);
        for (int trial = 0; trial < 40; trial++) {
            int inputs = 2 + r.nextInt(30);
            int depth = 1 + r.nextInt(3);
            List<Integer> hidden = new ArrayList<>();
            for (int d = 0; d < depth; d++) {
                hidden.add(1 + r.nextInt(24));
            }
            int outputs = 2 + r.nextInt(9);
            MlpHost host = new MlpHost(manager, inputs, hidden, outputs, trial);
            HostGrowth grow = editor(host, new Sgd(0.1, 0.9, manager), new LinkedHashMap<>(), trial);
            NDArray x = inputs(r, 64, inputs);
            float[] before = host.predict(x).toFloatArray();
            String layer = "fc" + (1 + r.nextInt(depth));
            int width = grow.width(layer);
            // half the trials share the outgoing weights unequally: still the same function
            grow.widen(layer, width + 1 + r.nextInt(3 * width + 1), 0.0, trial % 2 == 0 ? 0.0 : 0.5);
            float[] widened = host.predict(x).toFloatArray();
            assertTrue(maxDifference(before, widened) <= 1e-5f, "trial " + trial + " widen " + layer + " of " + hidden
                    + ": " + maxDifference(before, widened));
            grow.insertIdentity("fc" + (1 + r.nextInt(depth)));
            float[] deeper = host.predict(x).toFloatArray();
            assertTrue(maxDifference(before, deeper) <= 1e-5f, "trial " + trial + " identity: "
                    + maxDifference(before, deeper));
        }
    }

    @Test
    void freshUnitsPreserveTheFunctionStartAtZeroStateAndUnpruned() {
        Random r = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            int inputs = 2 + r.nextInt(20);
            List<Integer> hidden = List.of(1 + r.nextInt(12), 1 + r.nextInt(12));
            MlpHost host = new MlpHost(manager, inputs, hidden, 3, trial);
            Sgd sgd = new Sgd(0.1, 0.9, manager);
            Map<String, NDArray> masks = new LinkedHashMap<>();
            for (HostParameter p : host.hostParameters()) {
                sgd.update(p.name(), p.array(), manager.ones(p.array().getShape()));
            }
            masks.put("fc2.weight", manager.zeros(host.parameter("fc2.weight").array().getShape()));
            HostGrowth grow = editor(host, sgd, masks, trial);
            NDArray x = inputs(r, 32, inputs);
            float[] before = host.predict(x).toFloatArray();
            int n = grow.width("fc1");
            int count = 1 + r.nextInt(8);
            grow.addUnits("fc1", count);
            assertEquals(n + count, grow.width("fc1"));
            assertTrue(maxDifference(before, host.predict(x).toFloatArray()) <= 1e-6f, "trial " + trial);
            float[] v = sgd.state().get("fc1.bias").toFloatArray();
            for (int j = 0; j < n + count; j++) {
                assertEquals(j < n ? 0.1f : 0f, v[j], 1e-7f, "velocity of unit " + j);
            }
            float[] nextMask = masks.get("fc2.weight").toFloatArray();
            int width = n + count;
            for (int o = 0; o < hidden.get(1); o++) {
                for (int j = 0; j < width; j++) {
                    assertEquals(j < n ? 0f : 1f, nextMask[o * width + j], "mask of fc2 row " + o + ", input " + j);
                }
            }
            float[] fresh = host.parameter("fc1.weight").array().toFloatArray();
            boolean nonZero = false;
            for (int k = n * inputs; k < fresh.length; k++) {
                nonZero |= fresh[k] != 0f;
            }
            assertTrue(nonZero, "fresh units have random incoming weights");
        }
        assertEquals("add_units", events.get(events.size() - 1).operation());
    }

    @Test
    void widenCopiesUnitsAndSplitsTheirOutgoingWeights() {
        MlpHost host = new MlpHost(manager, 3, List.of(2), 2, 5);
        HostGrowth grow = editor(host, new Sgd(0.1, 0.0, manager), new LinkedHashMap<>(), 1);
        float[] w = host.parameter("fc1.weight").array().toFloatArray();
        float[] next = host.parameter("out.weight").array().toFloatArray();
        grow.widen("fc1", 3, 0.0);
        float[] w2 = host.parameter("fc1.weight").array().toFloatArray();
        float[] next2 = host.parameter("out.weight").array().toFloatArray();
        assertEquals(new Shape(3, 3), host.parameter("fc1.weight").array().getShape());
        assertEquals(new Shape(2, 3), host.parameter("out.weight").array().getShape());
        // the third unit copies one of the two: its incoming row equals that unit's, and both share the outgoing weight
        int source = w2[6] == w[0] && w2[7] == w[1] && w2[8] == w[2] ? 0 : 1;
        assertArrayEquals(new float[] {w[source * 3], w[source * 3 + 1], w[source * 3 + 2]},
                new float[] {w2[6], w2[7], w2[8]});
        for (int o = 0; o < 2; o++) {
            assertEquals(next[o * 2 + source] / 2, next2[o * 3 + source], 0f);
            assertEquals(next[o * 2 + source] / 2, next2[o * 3 + 2], 0f);
            assertEquals(next[o * 2 + 1 - source], next2[o * 3 + 1 - source], 0f);
        }
        assertEquals(1, events.size());
        assertEquals("widen", events.get(0).operation());
        assertEquals(3 * 2 + 2 + 2 * 2 + 2, events.get(0).parametersBefore());
        assertEquals(3 * 3 + 3 + 2 * 3 + 2, events.get(0).parametersAfter());
    }

    @Test
    void unequalSharesOfTheOutgoingWeightsSumToTheOriginal() {
        MlpHost host = new MlpHost(manager, 3, List.of(1), 2, 5);
        float[] next = host.parameter("out.weight").array().toFloatArray();
        editor(host, new Sgd(0.1, 0.0, manager), new LinkedHashMap<>(), 1).widen("fc1", 3, 0.0, 0.5);
        float[] split = host.parameter("out.weight").array().toFloatArray();
        for (int o = 0; o < 2; o++) {
            float a = split[o * 3];
            float b = split[o * 3 + 1];
            float c = split[o * 3 + 2];
            assertEquals(next[o], a + b + c, 1e-6f, "the three copies of the one unit share its weight");
            assertTrue(a != b && b != c, "the shares differ: " + a + ", " + b + ", " + c);
        }
        assertThrows(IllegalArgumentException.class, () -> editor(host, new Sgd(0.1, 0.0, manager),
                new LinkedHashMap<>(), 1).widen("fc1", 4, 0.0, 1.0));
    }

    @Test
    void oldEntriesKeepTheirMomentumAndNewOnesStartAtZero() {
        MlpHost host = new MlpHost(manager, 3, List.of(2), 2, 5);
        Sgd sgd = new Sgd(0.1, 0.9, manager);
        sgd.setState("fc1.weight", manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3)));
        sgd.setState("fc1.bias", manager.create(new float[] {7, 8}, new Shape(2)));
        sgd.setState("out.weight", manager.create(new float[] {9, 10, 11, 12}, new Shape(2, 2)));
        sgd.setState("out.bias", manager.create(new float[] {13, 14}, new Shape(2)));
        editor(host, sgd, new LinkedHashMap<>(), 1).widen("fc1", 4, 0.0);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0}, sgd.state().get("fc1.weight").toFloatArray());
        assertArrayEquals(new float[] {7, 8, 0, 0}, sgd.state().get("fc1.bias").toFloatArray());
        assertArrayEquals(new float[] {9, 10, 0, 0, 11, 12, 0, 0}, sgd.state().get("out.weight").toFloatArray());
        assertArrayEquals(new float[] {13, 14}, sgd.state().get("out.bias").toFloatArray());
        String added = editor(host, sgd, new LinkedHashMap<>(), 1).insertIdentity("fc1");
        assertEquals("fc2", added);
        assertEquals(List.of("fc1", "fc2", "out"), host.layers());
        assertTrue(!sgd.state().containsKey("fc2.weight"), "a new layer starts without state (zero on first use)");
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0}, sgd.state().get("fc1.weight").toFloatArray());
    }

    @Test
    void prunedWeightsStayPrunedInTheirCopies() {
        MlpHost host = new MlpHost(manager, 2, List.of(1), 1, 5);
        Map<String, NDArray> masks = new LinkedHashMap<>();
        masks.put("fc1.weight", manager.create(new float[] {1, 0}, new Shape(1, 2)));
        editor(host, new Sgd(0.1, 0.0, manager), masks, 1).widen("fc1", 2, 0.0);
        assertArrayEquals(new float[] {1, 0, 1, 0}, masks.get("fc1.weight").toFloatArray());
    }

    @Test
    void removingUnitsThatContributeNothingKeepsTheFunctionAndShrinksTheState() {
        MlpHost host = new MlpHost(manager, 5, List.of(6, 4), 3, 9);
        Sgd sgd = new Sgd(0.1, 0.9, manager);
        sgd.setState("fc1.weight", manager.arange(30f).reshape(6, 5));
        sgd.setState("fc2.weight", manager.arange(24f).reshape(4, 6));
        Map<String, NDArray> masks = new LinkedHashMap<>();
        masks.put("fc2.weight", manager.ones(new Shape(4, 6)));
        // structured pruning zeroed units 1 and 4 of fc1: their outgoing weights in fc2 are 0
        NDArray next = host.parameter("fc2.weight").array();
        float[] nv = next.toFloatArray();
        for (int o = 0; o < 4; o++) {
            nv[o * 6 + 1] = 0;
            nv[o * 6 + 4] = 0;
        }
        next.set(nv);
        NDArray x = inputs(new Random(3), 32, 5);
        float[] before = host.predict(x).toFloatArray();
        editor(host, sgd, masks, 1).removeUnits("fc1", new int[] {0, 2, 3, 5});
        assertEquals(new Shape(4, 5), host.parameter("fc1.weight").array().getShape());
        assertEquals(new Shape(4, 4), host.parameter("fc2.weight").array().getShape());
        assertEquals(0f, maxDifference(before, host.predict(x).toFloatArray()), 1e-6f);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 25, 26, 27, 28, 29},
                sgd.state().get("fc1.weight").toFloatArray());
        assertArrayEquals(new float[] {0, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 23},
                sgd.state().get("fc2.weight").toFloatArray());
        assertEquals(new Shape(4, 4), masks.get("fc2.weight").getShape());
        assertEquals("remove_units", events.get(0).operation());
        assertEquals(6 * 5 + 6 + 4 * 6, events.get(0).parametersBefore() - (4 * 3 + 3 + 4));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> editor(host, sgd, masks, 1).removeUnits("fc1", new int[0]));
        assertEquals("removeUnits fc1: keep at least one unit (a layer cannot be emptied)", empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> editor(host, sgd, masks, 1).removeUnits("fc1", new int[] {2, 1}));
    }

    @Test
    void theHeadAndShrinkingAreRefused() {
        MlpHost host = new MlpHost(manager, 2, List.of(4), 2, 5);
        HostGrowth grow = editor(host, new Sgd(0.1, 0.0, manager), new LinkedHashMap<>(), 1);
        IllegalArgumentException head = assertThrows(IllegalArgumentException.class, () -> grow.widen("out", 5, 0));
        assertEquals("'out' is the head; only hidden layers ([fc1]) can be changed", head.getMessage());
        IllegalArgumentException narrower = assertThrows(IllegalArgumentException.class, () -> grow.widen("fc1", 4, 0));
        assertEquals("widen fc1: the new width 4 must be larger than the current 4", narrower.getMessage());
        assertThrows(IllegalArgumentException.class, () -> grow.insertIdentity("fc9"));
    }

    /** Grows fc1 by 4 units each time its trigger fires; the trigger fires every 10 steps. */
    static final class EveryTenSteps implements TriggerCondition, GrowthPolicy {
        final List<Long> widths = new ArrayList<>();

        @Override
        public boolean fires(io.graft.api.trigger.TrainingSignals signals) {
            return !signals.taskBoundary() && signals.step() % 10 == 0;
        }

        @Override
        public void grow(TaskContext task, StructureEditor editor) {
            editor.widen("fc1", editor.width("fc1") + 4, 0.01);
            widths.add((long) editor.width("fc1"));
        }
    }

    @Test
    void theKernelGrowsWhenItsTriggersFireAndKeepsTraining() {
        EveryTenSteps policy = new EveryTenSteps();
        List<GrowthEvent> seen = new ArrayList<>();
        KernelListener listener = new KernelListener() {
            @Override
            public void onGrowth(GrowthEvent event) {
                seen.add(event);
            }
        };
        TrainConfig train = new TrainConfig(2, 16, 50, 10, new OptimizerConfig("sgd", 0.1, 0.9));
        RunResult r = new TrainingKernel(TestData.split(2, 2), TestData.model(4), train, 3, Device.cpu(),
                List.of(new ActivePlugin("grow", "1", policy)), List.of(listener)).run();
        // 2 tasks x 2 epochs x 8 batches = 32 steps: fires after 10, 20 and 30 steps
        assertEquals(List.of(8L, 12L, 16L), policy.widths);
        assertEquals(3, seen.size());
        assertEquals(10, seen.get(0).step());
        assertEquals("grow", seen.get(0).plugin());
        assertEquals(16 * 16 + 16 + 4 * 16 + 4, r.parameterCount());
        assertTrue(r.matrix(Protocol.TASK_IL).get(1, 1) > 0.9, r.matrix(Protocol.TASK_IL).toString());
    }

    @Test
    void aPrunerWithATriggerPrunesWhenItFiresNotAtEveryTaskEnd() {
        List<Long> calls = new ArrayList<>();
        List<float[]> end = new ArrayList<>();
        class ScheduledHalf implements TriggerCondition, io.graft.api.pruning.Pruner {
            @Override
            public boolean fires(io.graft.api.trigger.TrainingSignals signals) {
                return !signals.taskBoundary() && signals.step() == 5;  // after the fifth step (index 4)
            }

            @Override
            public Map<String, NDArray> prune(TaskContext task) {
                calls.add(((io.graft.api.train.StepContext) task).step());
                NDArray w = task.model().parameter("fc1.weight").array();
                float[] mask = new float[(int) w.size()];
                for (int i = 0; i < mask.length; i += 2) {
                    mask[i] = 1f;
                }
                return Map.of("fc1.weight", task.manager().create(mask, w.getShape()));
            }

            @Override
            public void onRunEnd(io.graft.api.train.RunContext run) {
                end.add(run.model().parameter("fc1.weight").array().toFloatArray());
            }
        }
        new TrainingKernel(TestData.split(2, 2), TestData.model(4), TestData.train(1, 16, 0.1), 3, Device.cpu(),
                List.of(new ActivePlugin("half", "1", new ScheduledHalf())), List.of()).run();
        assertEquals(List.of(4L), calls, "pruned once, in the step its trigger fired");
        float[] w = end.get(0);
        for (int i = 1; i < w.length; i += 2) {
            assertTrue(w[i] == 0f, "pruned entry " + i + " is " + w[i]);
        }
    }

    /** Masks the second half of fc1's units entirely (weights and biases) at the end of the first task. */
    static final class HalfTheUnits implements io.graft.api.pruning.Pruner {
        @Override
        public Map<String, NDArray> prune(TaskContext task) {
            if (task.task().index() > 0) {
                return Map.of();
            }
            NDArray w = task.model().parameter("fc1.weight").array();
            int units = (int) w.getShape().get(0);
            int inputs = (int) w.getShape().get(1);
            float[] wm = new float[units * inputs];
            float[] bm = new float[units];
            for (int j = 0; j < units / 2; j++) {
                bm[j] = 1;
                java.util.Arrays.fill(wm, j * inputs, (j + 1) * inputs, 1f);
            }
            return Map.of("fc1.weight", task.manager().create(wm, w.getShape()),
                    "fc1.bias", task.manager().create(bm, new Shape(units)));
        }
    }

    @Test
    void shrinkingRemovesTheUnitsPruningSwitchedOffWithoutChangingPredictions() {
        List<GrowthEvent> seen = new ArrayList<>();
        List<String> accuracies = new ArrayList<>();
        KernelListener listener = new KernelListener() {
            @Override
            public void onGrowth(GrowthEvent event) {
                seen.add(event);
            }
        };
        io.graft.runtime.config.ModelConfig shrinking = new io.graft.runtime.config.ModelConfig("mlp", List.of(16),
                null, true);
        RunResult shrunk = new TrainingKernel(TestData.split(2, 2), shrinking, TestData.train(1, 16, 0.1), 3,
                Device.cpu(), List.of(new ActivePlugin("half", "1", new HalfTheUnits())), List.of(listener)).run();
        RunResult masked = new TrainingKernel(TestData.split(2, 2), TestData.model(16), TestData.train(1, 16, 0.1), 3,
                Device.cpu(), List.of(new ActivePlugin("half", "1", new HalfTheUnits())), List.of()).run();
        assertEquals(1, seen.size());
        assertEquals("remove_units", seen.get(0).operation());
        assertEquals("16 -> 8 units", seen.get(0).detail());
        assertEquals(8 * 16 + 8 + 4 * 8 + 4, shrunk.parameterCount());
        // masking and removing the same units are the same network: the same accuracies, task by task
        assertEquals(masked.matrix(Protocol.TASK_IL), shrunk.matrix(Protocol.TASK_IL));
        assertEquals(masked.matrix(Protocol.CLASS_IL), shrunk.matrix(Protocol.CLASS_IL));
    }

    @Test
    void aGrowthPolicyWithoutATriggerIsRefused() {
        GrowthPolicy lonely = (task, editor) -> { };
        UserException e = assertThrows(UserException.class, () -> new TrainingKernel(TestData.split(1, 2),
                TestData.model(4), TestData.train(1, 16, 0.1), 1, Device.cpu(),
                List.of(new ActivePlugin("lonely", "1", lonely)), List.of()));
        assertEquals(UserException.BAD_CONFIG, e.exitCode());
        assertEquals("growth policy 'lonely' needs a trigger to say when it acts; add one to plugins (e.g. plateau,"
                + " schedule or task-boundary)", e.getMessage());
    }
}
