package ${package};

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import io.graft.api.model.TaskInfo;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin on real DJL arrays (PyTorch on the CPU), driven through its hooks in Graft's order: run start,
 * task start, one penalty per step. The network is two parameters, {@code w} (3 weights) and {@code b} (1).
 */
class L2AnchorTest {

    private static final TaskInfo FIRST = new TaskInfo(0, "classes 0,1", new int[] {0, 1});
    private static final TaskInfo SECOND = new TaskInfo(1, "classes 2,3", new int[] {2, 3});

    private NDManager runManager;
    private NDArray w;
    private NDArray b;
    private ModelView model;
    private final List<String> recorded = new ArrayList<>();
    private final MetricSink metrics = (name, value) -> recorded.add(name);

    @BeforeEach
    void network() {
        runManager = NDManager.newBaseManager();
        w = runManager.create(new float[] {1f, 2f, 3f});
        b = runManager.create(new float[] {0.5f});
        model = Views.of(ModelView.class, Map.of("parameters", List.of(parameter("w", w), parameter("b", b))));
    }

    @AfterEach
    void release() {
        runManager.close();
    }

    @Test
    void addsNothingDuringTheFirstTask() {
        L2Anchor plugin = started(new L2AnchorSettings(1.0, 50), FIRST);
        try (NDManager scratch = runManager.newSubManager()) {
            assertNull(plugin.penalty(step(0, scratch)));
        }
        assertEquals(List.of(), plugin.anchored());
    }

    @Test
    void penaltyIsHalfTheStrengthTimesTheSquaredDistanceToTheTaskStart() {
        L2Anchor plugin = started(new L2AnchorSettings(0.4, 50), FIRST, SECOND);
        w.addi(runManager.create(new float[] {1f, 0f, -2f})); // squared distance 1 + 0 + 4 = 5
        try (NDManager scratch = runManager.newSubManager()) {
            assertEquals(0.4 / 2 * 5, plugin.penalty(step(1, scratch)).getFloat(), 1e-5);
        }
        assertEquals(List.of("w", "b"), plugin.anchored());
    }

    @Test
    void theFirstTaskIsTheFirstInTrainingOrderNotIndexZero() {
        List<TaskInfo> reversed = List.of(SECOND, FIRST);
        L2Anchor plugin = new L2Anchor(new L2AnchorSettings(1.0, 50));
        plugin.onRunStart(run());
        plugin.onTaskStart(task(SECOND, reversed));
        assertEquals(List.of(), plugin.anchored());
        plugin.onTaskStart(task(FIRST, reversed));
        assertEquals(List.of("w", "b"), plugin.anchored());
    }

    @Test
    void itsGradientPullsEachWeightBackTowardsItsAnchor() {
        L2Anchor plugin = started(new L2AnchorSettings(2.0, 50), FIRST, SECOND);
        w.subi(runManager.create(new float[] {0.5f, 0.5f, 0.5f}));
        w.setRequiresGradient(true);
        b.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                NDManager scratch = runManager.newSubManager()) {
            collector.backward(plugin.penalty(step(1, scratch)));
        }
        // d/dθ of λ/2·(θ − θ*)² is λ·(θ − θ*) = 2 · (−0.5)
        assertArrayEquals(new float[] {-1f, -1f, -1f}, w.getGradient().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0f}, b.getGradient().toFloatArray(), 1e-6f);
    }

    @Test
    void recordsItsPenaltyEveryMetricEverySteps() {
        L2Anchor plugin = started(new L2AnchorSettings(1.0, 10), FIRST, SECOND);
        for (long s = 0; s <= 20; s++) {
            try (NDManager scratch = runManager.newSubManager()) {
                assertNotNull(plugin.penalty(step(s, scratch)));
            }
        }
        assertEquals(List.of("penalty", "penalty", "penalty"), recorded); // steps 0, 10 and 20
    }

    @Test
    void theAnchorsSurviveASaveAndARestoreIntoAFreshInstanceBeforeItsRun() {
        L2AnchorSettings settings = new L2AnchorSettings(1.0, 50);
        L2Anchor before = started(settings, FIRST, SECOND);
        w.addi(runManager.create(new float[] {0f, 3f, 0f}));
        try (MemoryState saved = new MemoryState(); NDManager scratch = runManager.newSubManager()) {
            float expected = before.penalty(step(1, scratch)).getFloat();
            before.saveState(saved);
            before.close();

            L2Anchor after = new L2Anchor(settings);
            after.restoreState(saved); // as on resume: before onRunStart
            after.onRunStart(run());
            assertEquals(expected, after.penalty(step(2, scratch)).getFloat(), 1e-6);
            assertEquals(0.5 * 9, expected, 1e-5);
            after.close();
        }
    }

    @Test
    void aPluginWithNothingAnchoredRestoresAsNothingAnchored() {
        L2Anchor before = started(new L2AnchorSettings(1.0, 50), FIRST);
        try (MemoryState saved = new MemoryState(); NDManager scratch = runManager.newSubManager()) {
            before.saveState(saved);
            L2Anchor after = new L2Anchor(new L2AnchorSettings(1.0, 50));
            after.onRunStart(run());
            after.restoreState(saved); // as on a hot swap: during the run
            assertNull(after.penalty(step(1, scratch)));
            after.close();
        }
    }

    /** A plugin through run start and the start of each given task, in that training order. */
    private L2Anchor started(L2AnchorSettings settings, TaskInfo... order) {
        L2Anchor plugin = new L2Anchor(settings);
        plugin.onRunStart(run());
        for (TaskInfo t : order) {
            plugin.onTaskStart(task(t, List.of(FIRST, SECOND)));
        }
        return plugin;
    }

    private static Parameter parameter(String name, NDArray value) {
        return Views.of(Parameter.class, Map.of("name", name, "array", value));
    }

    private RunContext run() {
        return Views.of(RunContext.class, Map.of("model", model, "manager", runManager, "metrics", metrics,
                "tasks", List.of(FIRST, SECOND)));
    }

    private TaskContext task(TaskInfo task, List<TaskInfo> order) {
        return Views.of(TaskContext.class, Map.of("task", task, "tasks", order, "model", model,
                "manager", runManager, "metrics", metrics));
    }

    private StepContext step(long index, NDManager scratch) {
        return Views.of(StepContext.class, Map.of("step", index, "stepManager", scratch, "task", SECOND,
                "model", model, "manager", runManager, "metrics", metrics));
    }
}
