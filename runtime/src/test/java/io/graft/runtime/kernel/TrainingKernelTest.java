package io.graft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import ai.djl.ndarray.index.NDIndex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.graft.api.Plugin;
import io.graft.api.Protocol;
import io.graft.api.gradient.GradientTransform;
import io.graft.api.model.Batch;
import io.graft.api.model.Parameter;
import io.graft.api.pruning.Pruner;
import io.graft.api.regularization.Regularizer;
import io.graft.api.rehearsal.Rehearsal;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.runtime.UserException;
import io.graft.runtime.config.ScenarioConfig;
import io.graft.runtime.metrics.AccuracyMatrix;
import io.graft.runtime.scenario.Scenario;
import io.graft.runtime.scenario.Scenarios;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TrainingKernelTest {

    private static TrainingKernel kernel(Scenario s, long seed, int epochs, int batch, double lr, List<Integer> hidden,
                                         List<ActivePlugin> plugins, List<KernelListener> listeners) {
        return new TrainingKernel(s, TestData.model(hidden.toArray(Integer[]::new)), TestData.train(epochs, batch, lr),
                seed, Device.cpu(), plugins, listeners);
    }

    private static ActivePlugin active(String id, Plugin p) {
        return new ActivePlugin(id, "1.0.0", p);
    }

    @Test
    void learnsTinySplitProblem() {
        Scenario s = TestData.split(2, 2);
        RunResult r = kernel(s, 1, 3, 16, 0.1, List.of(16), List.of(), List.of()).run();
        AccuracyMatrix til = r.matrix(Protocol.TASK_IL);
        AccuracyMatrix cil = r.matrix(Protocol.CLASS_IL);
        assertTrue(til.get(0, 0) > 0.9, "task 0 learnt\n" + til);
        assertTrue(til.get(1, 1) > 0.9, "task 1 learnt\n" + til);
        assertTrue(cil.get(1, 1) > 0.9, "class-IL on the last task\n" + cil);
        assertEquals(2, til.trainedTasks());
        assertEquals(2, til.baseline().length);
        assertTrue(r.trainSamplesPerSecond() > 0);
        assertEquals(2 * 3 * ((120 + 15) / 16), r.steps());
        assertEquals(2L * 3 * 120, r.trainSamples());
        assertEquals(16 * 16 + 16 + 4 * 16 + 4, r.parameterCount());
    }

    @Test
    void permutedScenarioIsEvaluatedDomainIl() {
        Scenario s = Scenarios.create(new ScenarioConfig(ScenarioConfig.Type.PERMUTED, 2, null, null), TestData.data(), 5);
        RunResult r = kernel(s, 1, 2, 16, 0.1, List.of(16), List.of(), List.of()).run();
        assertEquals(List.of(Protocol.DOMAIN_IL), List.copyOf(r.accuracy().keySet()));
        AccuracyMatrix m = r.matrix(Protocol.DOMAIN_IL);
        assertTrue(m.get(1, 1) > 0.9, m.toString());
    }

    @Test
    void sameSeedSameMatrix() {
        Scenario s = TestData.split(2, 2);
        List<Double> lossesA = new ArrayList<>();
        List<Double> lossesB = new ArrayList<>();
        List<Double> lossesC = new ArrayList<>();
        RunResult a = kernel(s, 3, 1, 8, 0.05, List.of(8), List.of(), List.of(losses(lossesA))).run();
        RunResult b = kernel(s, 3, 1, 8, 0.05, List.of(8), List.of(), List.of(losses(lossesB))).run();
        kernel(s, 4, 1, 8, 0.05, List.of(8), List.of(), List.of(losses(lossesC))).run();
        assertEquals(a.accuracy(), b.accuracy());
        assertEquals(lossesA, lossesB);
        assertNotEquals(lossesA, lossesC);
    }

    @Test
    void eventsArriveInHookOrder() {
        List<String> events = new ArrayList<>();
        KernelListener l = new KernelListener() {
            @Override public void onRunStart(RunInfo run) { events.add("L.runStart " + run.totalSteps()); }
            @Override public void onTaskStart(io.graft.api.model.TaskInfo task) { events.add("L.taskStart " + task.index()); }
            @Override public void onStep(StepReport step) { if (step.stepInTask() == 0) events.add("L.step " + step.step()); }
            @Override public void onPluginMetric(String id, String name, double v, long step) { events.add("L.metric " + id + "." + name); }
            @Override public void onEvaluation(int after, Protocol p, double[] acc) { events.add("L.eval " + after + " " + p.key()); }
            @Override public void onTaskEnd(io.graft.api.model.TaskInfo task, double s) { events.add("L.taskEnd " + task.index()); }
            @Override public void onRunEnd(RunResult r) { events.add("L.runEnd"); }
        };
        Plugin p = new Plugin() {
            @Override public void onRunStart(RunContext run) { events.add("P.runStart"); }
            @Override public void onTaskStart(TaskContext task) { events.add("P.taskStart " + task.task().index()); }
            @Override public void afterStep(StepContext step) { if (step.stepInTask() == 0) events.add("P.afterStep " + step.step()); }
            @Override public void onTaskEnd(TaskContext task) { events.add("P.taskEnd"); task.metrics().record("m", 1); }
            @Override public void onRunEnd(RunContext run) { events.add("P.runEnd"); }
            @Override public void close() { events.add("P.close"); }
        };
        kernel(TestData.split(2, 2), 1, 1, 60, 0.1, List.of(4), List.of(active("obs", p)), List.of(l)).run();
        assertEquals(List.of("L.runStart 4", "P.runStart", "L.eval -1 class_il", "L.eval -1 task_il",
                "L.taskStart 0", "P.taskStart 0", "P.afterStep 0", "L.step 0", "P.taskEnd", "L.metric obs.m",
                "L.eval 0 class_il", "L.eval 0 task_il", "L.taskEnd 0",
                "L.taskStart 1", "P.taskStart 1", "P.afterStep 2", "L.step 2", "P.taskEnd", "L.metric obs.m",
                "L.eval 1 class_il", "L.eval 1 task_il", "L.taskEnd 1", "P.runEnd", "P.close", "L.runEnd"), events);
    }

    @Test
    void throwingPluginStopsTheRunNamingIt() {
        List<String> seen = new ArrayList<>();
        AtomicInteger closed = new AtomicInteger();
        Regularizer boom = new Regularizer() {
            @Override
            public NDArray penalty(StepContext step) {
                if (step.step() == 3) {
                    throw new IllegalStateException("kaput");
                }
                return null;
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
        KernelListener l = new KernelListener() {
            @Override public void onStep(StepReport step) { seen.add("step " + step.step()); }
            @Override public void onRunFailed(Throwable failure) { seen.add("failed"); }
        };
        PluginFailure f = assertThrows(PluginFailure.class, () -> kernel(TestData.split(2, 2), 1, 1, 8, 0.1,
                List.of(4), List.of(active("boom", boom)), List.of(l)).run());
        assertEquals("plugin 'boom' failed in penalty at task 0, step 3: kaput; metrics so far are kept", f.getMessage());
        assertEquals(UserException.PLUGIN_FAILED, f.exitCode());
        assertEquals("boom", f.pluginId());
        assertEquals(List.of("step 0", "step 1", "step 2", "failed"), seen);
        assertEquals(1, closed.get());
    }

    @Test
    void failureInTaskHookNamesTheTask() {
        Plugin p = new Plugin() {
            @Override public void onTaskEnd(TaskContext task) {
                if (task.task().index() == 1) {
                    throw new NullPointerException();
                }
            }
        };
        PluginFailure f = assertThrows(PluginFailure.class, () -> kernel(TestData.split(2, 2), 1, 1, 60, 0.1,
                List.of(4), List.of(active("npe", p)), List.of()).run());
        assertEquals("plugin 'npe' failed in onTaskEnd at task 1: NullPointerException; metrics so far are kept",
                f.getMessage());
    }

    @Test
    void nonFinitePenaltyIsBlamedOnItsPlugin() {
        Regularizer nan = step -> step.stepManager().create(Float.NaN);
        PluginFailure f = assertThrows(PluginFailure.class, () -> kernel(TestData.split(1, 2), 1, 1, 8, 0.1,
                List.of(4), List.of(active("nan", nan)), List.of()).run());
        assertTrue(f.getMessage().startsWith("plugin 'nan' failed in penalty at task 0, step 0: its penalty is NaN"),
                f.getMessage());
    }

    @Test
    void aDoublePrecisionPenaltyIsAddedToTheFloatLoss() {
        List<Double> losses = new ArrayList<>();
        Regularizer constant = step -> step.stepManager().create(0.5d);
        kernel(TestData.split(1, 2), 1, 1, 60, 0.1, List.of(4), List.of(active("f64", constant)), List.of(losses(losses)))
                .run();
        List<Double> plain = new ArrayList<>();
        kernel(TestData.split(1, 2), 1, 1, 60, 0.1, List.of(4), List.of(), List.of(losses(plain))).run();
        assertEquals(plain.get(0) + 0.5, losses.get(0), 1e-6);
    }

    @Test
    void aTransformThatBlowsUpTheGradientIsNamed() {
        GradientTransform blowUp = step -> {
            for (Parameter p : step.model().parameters()) {
                p.gradient().muli(1e38f).muli(1e38f);
            }
        };
        UserException e = assertThrows(UserException.class, () -> kernel(TestData.split(1, 2), 1, 1, 8, 0.1,
                List.of(4), List.of(active("blowup", blowUp)), List.of()).run());
        assertTrue(e.getMessage().startsWith("plugin 'blowup' failed in transform at task 0, step 1: the weights are NaN"
                + " or infinite after the last update, whose gradient this transform left"), e.getMessage());
        assertEquals(UserException.PLUGIN_FAILED, e.exitCode());
    }

    @Test
    void penaltyTakesPartInBackward() {
        // one layer, so out.bias's gradient from c * sum(out.bias) is exactly c per entry
        float c = 10f;
        double lr = 0.1;
        float[][] after = new float[2][];
        Plugin[] observers = new Plugin[2];
        for (int k = 0; k < 2; k++) {
            int run = k;
            observers[k] = new Plugin() {
                @Override public void afterStep(StepContext step) {
                    if (step.step() == 0) {
                        after[run] = step.model().parameter("out.bias").array().toFloatArray();
                    }
                }
            };
        }
        Regularizer pen = step -> step.model().parameter("out.bias").array().sum().mul(c);
        kernel(TestData.split(1, 2), 9, 1, 8, lr, List.of(), List.of(active("obs", observers[0])), List.of()).run();
        kernel(TestData.split(1, 2), 9, 1, 8, lr, List.of(), List.of(active("pen", pen), active("obs", observers[1])),
                List.of()).run();
        for (int j = 0; j < after[0].length; j++) {
            assertEquals(after[0][j] - lr * c, after[1][j], 1e-5, "entry " + j);
        }
    }

    @Test
    void replayedRowsAreTrainedOn() {
        // task 0 has classes 0 and 1 only; the replay plugin adds rows of class 3 at every step
        Scenario s = TestData.split(1, 2);
        List<Integer> replayedCounts = new ArrayList<>();
        List<Long> logitRows = new ArrayList<>();
        float[] predicted = new float[1];
        class Replay implements Rehearsal {
            @Override
            public Batch replay(StepContext step) {
                NDManager m = step.stepManager();
                int n = 8;
                float[] x = new float[n * 16];
                for (int i = 0; i < n; i++) {
                    for (int p = 12; p < 16; p++) {
                        x[i * 16 + p] = 0.9f;
                    }
                }
                return new Batch(m.create(x, new Shape(n, 16)), m.full(new Shape(n), 3, DataType.INT64),
                        m.zeros(new Shape(n), DataType.INT64));
            }

            @Override
            public void afterStep(StepContext step) {
                logitRows.add(step.logits().getShape().get(0) - step.batch().size());
            }

            @Override
            public void onRunEnd(RunContext run) {
                try (NDManager m = run.manager().newSubManager()) {
                    float[] x = new float[16];
                    for (int p = 12; p < 16; p++) {
                        x[p] = 0.9f;
                    }
                    predicted[0] = run.model().predict(m.create(x, new Shape(1, 16))).argMax(1).toType(DataType.FLOAT32, false).getFloat();
                }
            }
        }
        KernelListener l = new KernelListener() {
            @Override public void onStep(StepReport step) { replayedCounts.add(step.replayed()); }
        };
        kernel(s, 1, 2, 16, 0.1, List.of(8), List.of(active("rep", new Replay())), List.of(l)).run();
        assertTrue(replayedCounts.stream().allMatch(n -> n == 8));
        assertTrue(logitRows.stream().allMatch(n -> n == 0), "logits() holds only the incoming rows");
        assertEquals(3f, predicted[0], "the model learnt the replayed class");
    }

    @Test
    void penaltyOnReplayedOutputsTrainsThem() {
        // a DER-like plugin: replays fixed inputs and, in penalty, pulls the live logits of its own rows
        // (found through replayedFrom in outputs()) towards a target; a second rehearsal plugin replays first
        Scenario s = TestData.split(1, 2);
        int n = 4;
        List<Integer> offsets = new ArrayList<>();
        List<Long> rows = new ArrayList<>();
        float[] finalLogit = new float[1];
        class Filler implements Rehearsal {
            @Override
            public Batch replay(StepContext step) {
                NDManager m = step.stepManager();
                return new Batch(m.zeros(new Shape(3, 16)), m.zeros(new Shape(3), DataType.INT64),
                        m.zeros(new Shape(3), DataType.INT64));
            }
        }
        class LogitMatch implements Rehearsal, Regularizer {
            @Override
            public Batch replay(StepContext step) {
                NDManager m = step.stepManager();
                return new Batch(m.ones(new Shape(n, 16)), m.zeros(new Shape(n), DataType.INT64),
                        m.zeros(new Shape(n), DataType.INT64));
            }

            @Override
            public NDArray penalty(StepContext step) {
                int from = step.replayedFrom();
                offsets.add(from);
                rows.add(step.outputs().getShape().get(0));
                NDArray mine = step.outputs().get(new NDIndex("{}:{}, 3", from, from + n));
                return mine.sub(7f).square().mean();
            }

            @Override
            public void onRunEnd(RunContext run) {
                try (NDManager m = run.manager().newSubManager()) {
                    finalLogit[0] = run.model().predict(m.ones(new Shape(1, 16))).getFloat(0, 3);
                }
            }
        }
        int batch = 16;
        kernel(s, 3, 10, batch, 0.05, List.of(8),
                List.of(active("filler", new Filler()), active("match", new LogitMatch())), List.of()).run();
        assertTrue(offsets.stream().allMatch(o -> o >= 3 + 1), "the plugin's rows never start before the filler's");
        assertEquals(batch + 3, offsets.get(0), "rows of the second rehearsal plugin start after the first's");
        assertEquals(batch + 3 + n, rows.get(0), "outputs() holds incoming, then every plugin's replayed rows");
        assertEquals(7f, finalLogit[0], 0.5f, "the penalty on the live outputs trained the replayed rows' logit");
    }

    @Test
    void snapshotIsFrozenWhileTheModelTrains() {
        Scenario s = TestData.split(2, 2);
        float[][] seen = new float[2][];
        class Teacher implements Plugin {
            io.graft.api.model.ModelView teacher;
            NDManager probe;

            @Override
            public void onTaskEnd(TaskContext task) {
                if (task.task().index() == 0) {
                    teacher = task.model().snapshot(task.manager());
                    probe = task.manager().newSubManager();
                    seen[0] = teacher.predict(probe.ones(new Shape(1, 16))).toFloatArray();
                } else {
                    seen[1] = teacher.predict(probe.ones(new Shape(1, 16))).toFloatArray();
                    float[] live = task.model().predict(probe.ones(new Shape(1, 16))).toFloatArray();
                    assertFalse(java.util.Arrays.equals(live, seen[1]), "the live model moved on");
                    Map<String, NDArray> g = teacher.gradients(probe.ones(new Shape(1, 16)), NDArray::sum, probe);
                    assertEquals(task.model().parameters().size(), g.size());
                }
            }
        }
        kernel(s, 4, 2, 16, 0.1, List.of(8), List.of(active("teacher", new Teacher())), List.of()).run();
        assertArrayEquals(seen[0], seen[1], "the snapshot did not change during the second task");
    }

    @Test
    void prunedWeightsStayZero() {
        int[] zeros = new int[1];
        float[] finalWeights = new float[0];
        List<float[]> end = new ArrayList<>();
        class HalfPruner implements Pruner {
            @Override
            public Map<String, NDArray> prune(TaskContext task) {
                NDArray w = task.model().parameter("fc1.weight").array();
                float[] mask = new float[(int) w.size()];
                for (int i = 0; i < mask.length; i += 2) {
                    mask[i] = 1f;
                }
                return task.task().index() == 0 ? Map.of("fc1.weight", task.manager().create(mask, w.getShape())) : Map.of();
            }

            @Override
            public void onRunEnd(RunContext run) {
                end.add(run.model().parameter("fc1.weight").array().toFloatArray());
            }
        }
        kernel(TestData.split(2, 2), 1, 2, 16, 0.1, List.of(8), List.of(active("half", new HalfPruner())), List.of())
                .run();
        float[] w = end.get(0);
        for (int i = 1; i < w.length; i += 2) {
            assertTrue(w[i] == 0f, "pruned entry " + i + " is " + w[i]);
        }
        assertTrue(w[0] != 0f);
    }

    @Test
    void theKernelKeepsItsOwnCopyOfAPrunersMask() {
        List<float[]> end = new ArrayList<>();
        class FickleMask implements Pruner {
            NDArray mask;

            @Override
            public Map<String, NDArray> prune(TaskContext task) {
                if (task.task().index() > 0) {
                    return Map.of();
                }
                NDArray w = task.model().parameter("fc1.weight").array();
                mask = task.manager().ones(w.getShape());
                mask.set(new NDIndex(":, 0"), 0f);
                return Map.of("fc1.weight", mask);
            }

            @Override
            public void afterStep(StepContext step) {
                if (mask != null) {
                    mask.set(new NDIndex(":"), 1f);  // the plugin reuses its array; the kernel's mask must not change
                }
            }

            @Override
            public void onRunEnd(RunContext run) {
                end.add(run.model().parameter("fc1.weight").array().get(new NDIndex(":, 0")).toFloatArray());
            }
        }
        kernel(TestData.split(2, 2), 1, 2, 16, 0.1, List.of(8), List.of(active("fickle", new FickleMask())), List.of())
                .run();
        for (float v : end.get(0)) {
            assertTrue(v == 0f, "column 0 of fc1 was pruned after task 0 and must stay zero: " + v);
        }
    }

    @Test
    void pluginRandomIsPerPluginAndRepeats() {
        List<Long> draws = new ArrayList<>();
        Plugin a = new Plugin() { @Override public void onRunStart(RunContext run) { draws.add(run.random().nextLong()); } };
        Plugin b = new Plugin() { @Override public void onRunStart(RunContext run) { draws.add(run.random().nextLong()); } };
        Plugin a2 = new Plugin() { @Override public void onRunStart(RunContext run) { draws.add(run.random().nextLong()); } };
        kernel(TestData.split(1, 2), 5, 1, 120, 0.1, List.of(4), List.of(active("a", a), active("b", b)), List.of()).run();
        kernel(TestData.split(1, 2), 5, 1, 120, 0.1, List.of(4), List.of(active("a", a2)), List.of()).run();
        assertNotEquals(draws.get(0), draws.get(1));
        assertEquals(draws.get(0), draws.get(2));
    }

    @Test
    void badSettingsNameTheKey() {
        Scenario s = TestData.split(1, 2);
        UserException e = assertThrows(UserException.class, () -> new TrainingKernel(s, TestData.model(4),
                TestData.train(1, 0, 0.1), 1, Device.cpu(), List.of(), List.of()));
        assertEquals("train.batchSize must be at least 1, got 0", e.getMessage());
        e = assertThrows(UserException.class, () -> new TrainingKernel(s, TestData.model(4), TestData.train(1, 8, -1),
                1, Device.cpu(), List.of(), List.of()));
        assertTrue(e.getMessage().startsWith("train.optimizer.lr"));
        e = assertThrows(UserException.class, () -> new TrainingKernel(s, TestData.model(4), TestData.train(1, 8, 0.1),
                1, Device.cpu(), List.of(active("x", new Plugin() {}), active("x", new Plugin() {})), List.of()));
        assertEquals(UserException.BAD_CONFIG, e.exitCode());
    }

    @Test
    void stepsLeaveNothingInTheRunManager() {
        List<Integer> counts = new ArrayList<>();
        // a naive regulariser: its temporaries land in the run manager (operations on parameters)
        Regularizer naive = step -> {
            NDArray sum = null;
            for (Parameter p : step.model().parameters()) {
                NDArray t = p.array().mul(p.array()).sum();
                sum = sum == null ? t : sum.add(t);
            }
            return sum.mul(1e-4f);
        };
        Plugin counter = new Plugin() {
            @Override public void afterStep(StepContext step) {
                step.logits();
                counts.add(step.manager().getManagedArrays().size() - step.stepManager().getManagedArrays().size());
            }
        };
        kernel(TestData.split(2, 2), 1, 1, 8, 0.1, List.of(8), List.of(active("naive", naive), active("count", counter)),
                List.of()).run();
        assertEquals(30, counts.size());
        assertTrue(counts.stream().distinct().count() == 1, counts.toString());
    }

    private static KernelListener losses(List<Double> into) {
        return new KernelListener() {
            @Override
            public void onStep(StepReport step) {
                into.add(step.loss());
            }
        };
    }
}
