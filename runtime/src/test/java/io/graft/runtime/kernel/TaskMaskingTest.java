package io.graft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.Plugin;
import io.graft.api.Protocol;
import io.graft.api.gradient.GradientTransform;
import io.graft.api.masking.MaskQuery;
import io.graft.api.masking.TaskMask;
import io.graft.api.model.Parameter;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.runtime.UserException;
import io.graft.runtime.config.ModelConfig;
import io.graft.runtime.metrics.AccuracyMatrix;
import io.graft.runtime.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The multi-head loss and the TaskMask contract, on the tiny image problem. */
class TaskMaskingTest {

    private static final ModelConfig MULTI = new ModelConfig("mlp", List.of(8), ModelConfig.MULTI_HEAD);

    private static Scenario taskIl(int tasks) {
        return TestData.split(tasks, 2).withProtocols(List.of(Protocol.TASK_IL));
    }

    private static TrainingKernel kernel(Scenario s, ModelConfig model, Plugin... plugins) {
        List<ActivePlugin> active = new ArrayList<>();
        for (int i = 0; i < plugins.length; i++) {
            active.add(new ActivePlugin("p" + i, "1.0.0", plugins[i]));
        }
        return new TrainingKernel(s, model, TestData.train(2, 16, 0.1), 3, Device.cpu(), active, List.of());
    }

    @Test
    void multiHeadLossNeverTouchesAnotherTasksHead() {
        List<float[]> head = new ArrayList<>();
        Plugin recorder = new Plugin() {
            @Override
            public void onTaskEnd(TaskContext task) {
                head.add(task.model().parameter("out.weight").array().toFloatArray());
                head.add(task.model().parameter("out.bias").array().toFloatArray());
            }
        };
        RunResult r = kernel(taskIl(2), MULTI, recorder).run();
        // task 0 owns classes 0 and 1: rows 0-1 of the head (8 weights each) and bias entries 0-1
        float[] w0 = head.get(0);
        float[] w1 = head.get(2);
        for (int i = 0; i < 16; i++) {
            assertEquals(w0[i], w1[i], "out.weight entry " + i + " of task 0's head changed while task 1 trained");
        }
        assertEquals(head.get(1)[0], head.get(3)[0]);
        assertEquals(head.get(1)[1], head.get(3)[1]);
        assertFalse(w0[16] == w1[16], "task 1's own head trained");
        assertEquals(List.of(Protocol.TASK_IL), List.copyOf(r.accuracy().keySet()));
        assertTrue(r.matrix(Protocol.TASK_IL).get(1, 1) > 0.9, r.matrix(Protocol.TASK_IL).toString());
    }

    @Test
    void multiHeadNeedsATaskIlOnlyScenario() {
        UserException e = assertThrows(UserException.class, () -> kernel(TestData.split(2, 2), MULTI));
        assertEquals(UserException.BAD_CONFIG, e.exitCode());
        assertEquals("model.heads: multi needs a split scenario evaluated task_il only, this one is evaluated"
                + " class_il, task_il", e.getMessage());
        UserException typo = assertThrows(UserException.class, () -> kernel(taskIl(2),
                new ModelConfig("mlp", List.of(8), "many")));
        assertEquals("model.heads 'many' is not supported; use single or multi", typo.getMessage());
    }

    /** Switches every hidden unit off: the output is the head's bias, the hidden layer never learns. */
    static final class Blackout implements TaskMask {
        final List<String> queries = new ArrayList<>();
        final List<float[]> fc1 = new ArrayList<>();

        @Override
        public NDArray unitMask(String layer, int width, MaskQuery query) {
            if (queries.size() < 1000) {
                queries.add(layer + " " + query.task().index() + " " + query.training() + " " + query.stepInTask()
                        + "/" + query.taskSteps());
            }
            return query.manager().zeros(new ai.djl.ndarray.types.Shape(width));
        }

        @Override
        public void onRunStart(RunContext run) {
            fc1.add(run.model().parameter("fc1.weight").array().toFloatArray());
        }

        @Override
        public void onRunEnd(RunContext run) {
            fc1.add(run.model().parameter("fc1.weight").array().toFloatArray());
        }
    }

    @Test
    void unitMasksApplyInTrainingAndEvaluation() {
        Blackout blackout = new Blackout();
        RunResult r = kernel(taskIl(2), MULTI, blackout).run();
        AccuracyMatrix m = r.matrix(Protocol.TASK_IL);
        // a constant prediction over two balanced classes
        assertEquals(0.5, m.get(1, 0), 1e-9, m.toString());
        assertEquals(0.5, m.get(1, 1), 1e-9, m.toString());
        assertArrayEquals(blackout.fc1.get(0), blackout.fc1.get(1), "no gradient reaches masked units' weights");
        assertTrue(blackout.queries.contains("fc1 0 true 0/16"), blackout.queries.subList(0, 3).toString());
        assertTrue(blackout.queries.contains("fc1 1 true 15/16"));
        assertTrue(blackout.queries.contains("fc1 1 false -1/-1"), "evaluation of task 1 asks with its own task");
    }

    @Test
    void weightMasksShowEachTaskItsOwnWeights() {
        // task 0 sees the network, task 1 sees a head of zeros: chance on task 1, trained on task 0
        TaskMask zeroHeadForTaskOne = new TaskMask() {
            @Override
            public NDArray weightMask(Parameter parameter, MaskQuery query) {
                if (!parameter.name().startsWith("out.") || query.task().index() == 0) {
                    return null;
                }
                return query.manager().zeros(parameter.array().getShape());
            }
        };
        AccuracyMatrix m = kernel(taskIl(2), MULTI, zeroHeadForTaskOne).run().matrix(Protocol.TASK_IL);
        assertTrue(m.get(1, 0) > 0.9, m.toString());
        assertEquals(0.5, m.get(1, 1), 1e-9, m.toString());
    }

    @Test
    void maskedPassesLeaveNothingInTheRunManager() {
        class KeptMask implements TaskMask {
            NDArray half;
            final List<Integer> counts = new ArrayList<>();

            @Override
            public void onRunStart(RunContext run) {
                half = run.manager().full(run.model().parameter("fc1.weight").array().getShape(), 0.5f);
            }

            @Override
            public NDArray weightMask(Parameter parameter, MaskQuery query) {
                return parameter.name().equals("fc1.weight") ? half : null;
            }

            @Override
            public void afterStep(StepContext step) {
                step.model().predict(step.batch().features());
                counts.add(step.manager().getManagedArrays().size() - step.stepManager().getManagedArrays().size());
            }
        }
        KeptMask kept = new KeptMask();
        kernel(taskIl(2), MULTI, kept).run();
        assertEquals(2 * 2 * 8, kept.counts.size());
        assertEquals(1, kept.counts.stream().distinct().count(), kept.counts.toString());
    }

    @Test
    void gradientsReachThePluginsOwnGateArrays() {
        class LearntGate implements TaskMask, GradientTransform {
            NDManager own;
            NDArray embedding;
            final List<Float> gradientNorms = new ArrayList<>();

            @Override
            public void onRunStart(RunContext run) {
                own = run.manager().newSubManager();
                embedding = own.ones(new ai.djl.ndarray.types.Shape(8));
                embedding.setRequiresGradient(true);
            }

            @Override
            public NDArray unitMask(String layer, int width, MaskQuery query) {
                NDArray gate = ai.djl.nn.Activation.sigmoid(embedding);
                gate.attach(query.manager());
                return gate;
            }

            @Override
            public void transform(StepContext step) {
                NDArray g = embedding.getGradient();
                gradientNorms.add(g.abs().sum().getFloat());
                g.subi(g);
            }

            @Override
            public void close() {
                if (own != null) {
                    own.close();
                }
            }
        }
        LearntGate gate = new LearntGate();
        kernel(taskIl(1), MULTI, gate).run();
        assertEquals(16, gate.gradientNorms.size());
        assertTrue(gate.gradientNorms.stream().allMatch(v -> v > 0), gate.gradientNorms.toString());
    }

    @Test
    void aThrowingOrMisshapenMaskStopsTheRunNamingThePlugin() {
        TaskMask throwing = new TaskMask() {
            @Override
            public NDArray unitMask(String layer, int width, MaskQuery query) {
                throw new IllegalStateException("no gate for " + layer);
            }
        };
        PluginFailure f = assertThrows(PluginFailure.class, () -> kernel(taskIl(1), MULTI, throwing).run());
        assertTrue(f.getMessage().contains("p0") && f.getMessage().contains("unitMask"), f.getMessage());
        TaskMask misshapen = new TaskMask() {
            @Override
            public NDArray weightMask(Parameter parameter, MaskQuery query) {
                return query.manager().ones(new ai.djl.ndarray.types.Shape(3));
            }
        };
        PluginFailure g = assertThrows(PluginFailure.class, () -> kernel(taskIl(1), MULTI, misshapen).run());
        assertTrue(g.getMessage().contains("weightMask") && g.getMessage().contains("expected"), g.getMessage());
        assertNotNull(g.getCause());
    }
}
