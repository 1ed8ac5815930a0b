package io.graft.plugin.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.model.TaskInfo;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.api.trigger.TrainingSignals;
import io.graft.plugin.testkit.Contexts;
import io.graft.plugin.testkit.MapState;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The three pruners end to end on real DJL arrays, the kernel's part (multiplying by the masks) done by hand. */
class PrunersTest {

    private static final TaskInfo TASK = new TaskInfo(0, "all", new int[] {0, 1});

    private final NDManager manager = NDManager.newBaseManager();
    private final Map<String, Double> metrics = new HashMap<>();
    private final MetricSink sink = metrics::put;

    @AfterEach
    void close() {
        manager.close();
    }

    /** fc1: 2x5 weights, out: 2x2 weights, with biases. */
    private TinyNet net() {
        return new TinyNet(manager)
                .add("fc1.weight", new float[] {0.1f, -0.2f, 0.3f, -0.4f, 0.5f, -0.6f, 0.7f, -0.8f, 0.9f, -1.0f}, 2, 5)
                .add("fc1.bias", new float[] {0.01f, 0.02f}, 2)
                .add("out.weight", new float[] {0.05f, -0.15f, 0.25f, -0.35f}, 2, 2)
                .add("out.bias", new float[] {0.03f, 0.04f}, 2);
    }

    private RunContext run(TinyNet net) {
        return Contexts.run(net, manager, sink, new Random(7));
    }

    private TaskContext task(TinyNet net) {
        return Contexts.task(TASK, null, net, manager, sink, new Random(7));
    }

    private StepContext step(TinyNet net, long inTask, long taskSteps) {
        return Contexts.step(inTask, TASK, inTask, taskSteps, net, manager, manager, sink);
    }

    private static TrainingSignals signals(boolean boundary) {
        TrainingSignals s = mock(TrainingSignals.class);
        when(s.taskBoundary()).thenReturn(boundary);
        return s;
    }

    private static float[] floats(NDArray a) {
        return a.toFloatArray();
    }

    /** What the kernel does with the masks: multiplies the weights. */
    private static void applyMasks(TinyNet net, Map<String, NDArray> masks) {
        masks.forEach((name, mask) -> net.parameter(name).array().muli(mask));
    }

    private static ScheduleSettings schedule(double sparsity, Scope scope, int stages, String exclude) {
        return new ScheduleSettings(sparsity, scope, stages, 0.5, 1.0, SparsityRamp.GEOMETRIC,
                PrunedLayers.parse(exclude));
    }

    @Test
    void magnitudePerLayerFiresOnItsScheduleAndPrunesTheExactShareOfEveryWeightMatrix() {
        TinyNet net = net();
        MagnitudePruner pruner = new MagnitudePruner(schedule(0.5, Scope.LAYER, 1, ""));
        pruner.onRunStart(run(net));
        pruner.onTaskStart(task(net));
        pruner.afterStep(step(net, 0, 2));
        assertFalse(pruner.fires(signals(false)));
        pruner.afterStep(step(net, 1, 2));
        assertFalse(pruner.fires(signals(true)));
        assertTrue(pruner.fires(signals(false)));

        Map<String, NDArray> masks = pruner.prune(task(net));
        assertEquals(Set.of("fc1.weight", "out.weight"), masks.keySet());
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, floats(masks.get("fc1.weight")));
        assertArrayEquals(new float[] {0, 0, 1, 1}, floats(masks.get("out.weight")));
        assertEquals(new ai.djl.ndarray.types.Shape(2, 5), masks.get("fc1.weight").getShape());
        assertEquals(0.5, metrics.get("sparsity"), 1e-12);
        assertEquals(0.5, metrics.get("sparsity.fc1.weight"), 1e-12);
        assertEquals(7.0, metrics.get("weights_kept"));
        assertFalse(pruner.fires(signals(false)));
        pruner.close();
    }

    @Test
    void magnitudeGlobalRanksAllWeightsTogether() {
        TinyNet net = net();
        net.set("out.weight", 0.05f, -0.95f, 0.25f, -0.35f);
        MagnitudePruner pruner = new MagnitudePruner(schedule(0.5, Scope.GLOBAL, 1, ""));
        pruner.onRunStart(run(net));
        Map<String, NDArray> masks = pruner.prune(task(net));
        // 14 weights, 7 kept: 1.0, 0.95 (head), 0.9, 0.8, 0.7, 0.6, 0.5
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 1, 1, 1}, floats(masks.get("fc1.weight")));
        assertArrayEquals(new float[] {0, 1, 0, 0}, floats(masks.get("out.weight")));
        assertEquals(0.5, metrics.get("sparsity"), 1e-12);
        assertEquals(0.4, metrics.get("sparsity.fc1.weight"), 1e-12);
        assertEquals(0.75, metrics.get("sparsity.out.weight"), 1e-12);
        pruner.close();
    }

    @Test
    void excludedLayersAndBiasesStayDense() {
        TinyNet net = net();
        MagnitudePruner pruner = new MagnitudePruner(schedule(0.5, Scope.GLOBAL, 1, "out"));
        pruner.onRunStart(run(net));
        Map<String, NDArray> masks = pruner.prune(task(net));
        assertEquals(Set.of("fc1.weight"), masks.keySet());
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, floats(masks.get("fc1.weight")));
        pruner.close();
    }

    @Test
    void aGlobalStageThatWouldEmptyALayerIsRefusedWithOneLine() {
        TinyNet net = net();
        MagnitudePruner pruner = new MagnitudePruner(schedule(0.5, Scope.GLOBAL, 1, ""));
        pruner.onRunStart(run(net));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pruner.prune(task(net)));
        assertEquals("magnitude: sparsity 0.5 would leave no weight in out.weight (its weights all rank below the"
                + " other layers'); lower sparsity, use scope: layer, or exclude that layer", e.getMessage());
        pruner.close();
    }

    @Test
    void aSparsityThatEmptiesALayerIsRefusedBeforeTraining() {
        TinyNet net = net();
        // the head has 4 weights: 10 % of them rounds to none
        IllegalArgumentException perLayer = assertThrows(IllegalArgumentException.class,
                () -> new MagnitudePruner(schedule(0.9, Scope.LAYER, 1, "")).onRunStart(run(net)));
        assertTrue(perLayer.getMessage().startsWith("magnitude: sparsity 0.9 would leave no weight in out.weight"),
                perLayer.getMessage());
        // 14 weights at 0.95 keep 1, fewer than the 2 pruned layers
        IllegalArgumentException global = assertThrows(IllegalArgumentException.class,
                () -> new MagnitudePruner(schedule(0.95, Scope.GLOBAL, 1, "")).onRunStart(run(net)));
        assertTrue(global.getMessage().contains("fewer than the 2 pruned layers"), global.getMessage());
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> new MagnitudePruner(schedule(0.5, Scope.LAYER, 1, "head")).onRunStart(run(net)));
        assertTrue(typo.getMessage().startsWith("magnitude: exclude names [head]"), typo.getMessage());
    }

    @Test
    void laterStagesRankOnlyTheSurvivorsSoMasksCombine() {
        TinyNet net = net();
        MagnitudePruner pruner = new MagnitudePruner(new ScheduleSettings(0.6, Scope.LAYER, 2, 0.5, 1.0,
                SparsityRamp.CUBIC, Set.of("out")));
        pruner.onRunStart(run(net));
        pruner.onTaskStart(task(net));
        pruner.afterStep(step(net, 1, 4));
        assertTrue(pruner.fires(signals(false)));
        // stage 1 of 2: 0.6 (1 - 1/8) = 0.525 of 10 -> keep round(4.75) = 5
        Map<String, NDArray> first = pruner.prune(task(net));
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, floats(first.get("fc1.weight")));
        applyMasks(net, first);
        // training moves a pruned weight far up: it must not come back
        net.set("fc1.weight", 0, 0, 0, 0, 0, -0.6f, 0.7f, -0.8f, 0.05f, -1.0f);
        pruner.afterStep(step(net, 2, 4));
        assertFalse(pruner.fires(signals(false)));
        pruner.afterStep(step(net, 3, 4));
        assertTrue(pruner.fires(signals(false)));
        Map<String, NDArray> second = pruner.prune(task(net));
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 1, 1, 0, 1}, floats(second.get("fc1.weight")));
        assertEquals(0.6, metrics.get("sparsity"), 1e-12);
        assertEquals(2.0, metrics.get("stage"));
        pruner.close();
    }

    @Test
    void theStateRoundTripsTheMasksAndTheStage() {
        TinyNet net = net();
        MagnitudePruner pruner = new MagnitudePruner(new ScheduleSettings(0.6, Scope.LAYER, 2, 0.5, 1.0,
                SparsityRamp.CUBIC, Set.of("out")));
        pruner.onRunStart(run(net));
        pruner.onTaskStart(task(net));
        pruner.afterStep(step(net, 1, 4));
        pruner.prune(task(net));
        try (MapState state = new MapState()) {
            pruner.saveState(state);
            MagnitudePruner resumed = new MagnitudePruner(new ScheduleSettings(0.6, Scope.LAYER, 2, 0.5, 1.0,
                    SparsityRamp.CUBIC, Set.of("out")));
            resumed.restoreState(state);
            resumed.onRunStart(run(net));
            resumed.onTaskStart(task(net));
            resumed.afterStep(step(net, 1, 4));
            assertFalse(resumed.fires(signals(false)), "stage 1 was applied before the checkpoint");
            assertEquals(0.5, resumed.sparsity(), 1e-12);
            resumed.afterStep(step(net, 3, 4));
            Map<String, NDArray> second = resumed.prune(task(net));
            assertEquals(4, (int) second.get("fc1.weight").sum().getFloat());
            resumed.close();
        }
        pruner.close();
    }

    private static LotterySettings lottery(int rounds, double sparsity, long rewindStep, Reinit reinit) {
        return new LotterySettings(sparsity, rounds, Scope.LAYER, rewindStep, reinit, Set.of("out"));
    }

    @Test
    void lotteryRoundsPruneBySizeAndRewindEveryParameterToItsSavedValues() {
        TinyNet net = net();
        float[] initialWeights = net.values("fc1.weight");
        float[] initialHead = net.values("out.weight");
        LotteryPruner pruner = new LotteryPruner(lottery(2, 0.64, 0, Reinit.REWIND));
        pruner.onRunStart(run(net));
        pruner.onTaskStart(task(net));
        // training changes everything: magnitudes now rank the other way round
        net.set("fc1.weight", 1.0f, -0.9f, 0.8f, -0.7f, 0.6f, -0.5f, 0.4f, -0.3f, 0.2f, -0.1f);
        net.set("out.weight", 9, 9, 9, 9);
        net.set("fc1.bias", 5, 5);
        pruner.afterStep(step(net, 0, 3));
        assertTrue(pruner.fires(signals(false)));
        // round 1 of 2 at sparsity 1 - 0.36^(1/2) = 0.4: keep 6 of 10
        Map<String, NDArray> masks = pruner.prune(task(net));
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 0, 0, 0, 0}, floats(masks.get("fc1.weight")));
        assertArrayEquals(initialWeights, net.values("fc1.weight"), "rewound to the initial weights");
        assertArrayEquals(initialHead, net.values("out.weight"), "every parameter rewinds, the excluded head too");
        assertArrayEquals(new float[] {0.01f, 0.02f}, net.values("fc1.bias"));
        applyMasks(net, masks);
        assertArrayEquals(new float[] {0.1f, -0.2f, 0.3f, -0.4f, 0.5f, -0.6f, 0, -0f, 0, -0f},
                net.values("fc1.weight"));
        assertEquals(0.4, metrics.get("sparsity"), 1e-12);

        net.set("fc1.weight", 0.1f, -0.2f, 0.3f, -0.4f, 0.5f, -0.6f, 0, 0, 0, 0);
        pruner.afterStep(step(net, 1, 3));
        assertTrue(pruner.fires(signals(false)));
        // round 2: 0.64 of 10 -> keep round(3.6) = 4 of the 6 survivors
        Map<String, NDArray> last = pruner.prune(task(net));
        assertArrayEquals(new float[] {0, 0, 1, 1, 1, 1, 0, 0, 0, 0}, floats(last.get("fc1.weight")));
        assertArrayEquals(initialWeights, net.values("fc1.weight"));
        assertEquals(2.0, metrics.get("round"));
        pruner.close();
    }

    @Test
    void lotteryRewindsToTheWeightsOfTheRewindStep() {
        TinyNet net = net();
        LotteryPruner pruner = new LotteryPruner(lottery(1, 0.5, 2, Reinit.REWIND));
        pruner.onRunStart(run(net));
        pruner.onTaskStart(task(net));
        net.set("fc1.bias", 1, 1);
        pruner.afterStep(step(net, 0, 10));
        net.set("fc1.bias", 2, 2);
        pruner.afterStep(step(net, 1, 10));
        net.set("fc1.bias", 3, 3);
        for (int s = 2; s < 5; s++) {
            pruner.afterStep(step(net, s, 10));
        }
        assertTrue(pruner.fires(signals(false)));
        pruner.prune(task(net));
        assertArrayEquals(new float[] {2, 2}, net.values("fc1.bias"));
        pruner.close();
    }

    @Test
    void aRewindStepAfterTheFirstRoundIsRefused() {
        TinyNet net = net();
        LotteryPruner pruner = new LotteryPruner(lottery(3, 0.5, 30, Reinit.REWIND));
        pruner.onRunStart(run(net));
        pruner.onTaskStart(task(net));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pruner.afterStep(step(net, 0, 100)));
        assertEquals("lottery: rewindStep 30 is not before the first round, which prunes after step 25 of 100; lower"
                + " rewindStep or use fewer rounds", e.getMessage());
        pruner.close();
    }

    @Test
    void theRandomControlKeepsTheTicketsMasksAndDrawsFreshWeightsOnlyAfterTheLastRound() {
        TinyNet ticketNet = net();
        TinyNet controlNet = net();
        float[] initial = ticketNet.values("fc1.weight");
        LotteryPruner ticket = new LotteryPruner(lottery(2, 0.64, 0, Reinit.REWIND));
        LotteryPruner control = new LotteryPruner(lottery(2, 0.64, 0, Reinit.RANDOM));
        Map<String, NDArray> ticketMasks = null;
        Map<String, NDArray> controlMasks = null;
        for (LotteryPruner p : new LotteryPruner[] {ticket, control}) {
            TinyNet net = p == ticket ? ticketNet : controlNet;
            p.onRunStart(run(net));
            p.onTaskStart(task(net));
            net.set("fc1.weight", 1.0f, -0.9f, 0.8f, -0.7f, 0.6f, -0.5f, 0.4f, -0.3f, 0.2f, -0.1f);
            p.afterStep(step(net, 0, 3));
            p.prune(task(net));
            assertArrayEquals(initial, net.values("fc1.weight"), "the first round rewinds in both");
            p.afterStep(step(net, 1, 3));
            Map<String, NDArray> m = p.prune(task(net));
            if (p == ticket) {
                ticketMasks = m;
            } else {
                controlMasks = m;
            }
        }
        assertArrayEquals(floats(ticketMasks.get("fc1.weight")), floats(controlMasks.get("fc1.weight")));
        assertArrayEquals(initial, ticketNet.values("fc1.weight"));
        float[] drawn = controlNet.values("fc1.weight");
        assertNotEquals(java.util.Arrays.toString(initial), java.util.Arrays.toString(drawn));
        float bound = (float) (1 / Math.sqrt(5));
        for (float v : drawn) {
            assertTrue(Math.abs(v) <= bound, "uniform in +-1/sqrt(fan_in): " + v);
        }
        float headBound = (float) (1 / Math.sqrt(2));
        for (float v : controlNet.values("out.bias")) {
            assertTrue(Math.abs(v) <= headBound);
        }
        assertNotEquals(0.03f, controlNet.values("out.bias")[0]);
        ticket.close();
        control.close();
    }

    @Test
    void gradientImportanceSumsAbsoluteWeightTimesGradientSinceTheLastStage() {
        TinyNet net = net();
        GradientPruner pruner = new GradientPruner(schedule(0.5, Scope.LAYER, 2, "out"));
        pruner.onRunStart(run(net));
        pruner.onTaskStart(task(net));
        // weights 0.1 .. 1.0 in size; the gradients favour the small ones
        net.gradient("fc1.weight", 10, 10, 1, 1, 1, 1, 1, 1, 0.01f, 0.01f);
        pruner.transform(step(net, 0, 4));
        net.gradient("fc1.weight", -10, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        pruner.transform(step(net, 1, 4));
        // |w g| summed: 2, 2, .3, .4, .5, .6, .7, .8, .009, .01 -> stage 1 keeps round(10 (1-(1-.5)^.5)) = 7
        pruner.afterStep(step(net, 1, 4));
        assertTrue(pruner.fires(signals(false)));
        Map<String, NDArray> masks = pruner.prune(task(net));
        assertArrayEquals(new float[] {1, 1, 0, 1, 1, 1, 1, 1, 0, 0}, floats(masks.get("fc1.weight")));
        applyMasks(net, masks);
        // the sums restart: now only the last steps count
        net.gradient("fc1.weight", 0, 0, 0, 0, 1, 1, 1, 1, 1, 1);
        pruner.transform(step(net, 2, 4));
        pruner.afterStep(step(net, 3, 4));
        // keep 5 of the 7 survivors: the four with importance, then the tie at 0 goes to the lowest index
        Map<String, NDArray> second = pruner.prune(task(net));
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 1, 1, 1, 0, 0}, floats(second.get("fc1.weight")));
        pruner.close();
    }
}
