package io.graft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** At a task boundary the kernel swaps in a plugin's new version, carrying its state over when the formats agree. */
class HotSwapKernelTest {

    /** Counts the steps it saw; version names which instance it is. */
    static final class Counter implements io.graft.api.Plugin, Stateful {
        final String version;
        long steps;
        boolean started;

        Counter(String version) {
            this.version = version;
        }

        @Override
        public void onRunStart(RunContext run) {
            started = true;
        }

        @Override
        public void afterStep(StepContext step) {
            steps++;
        }

        @Override
        public void saveState(StateWriter out) {
            out.putLong("steps", steps);
        }

        @Override
        public void restoreState(StateReader in) {
            steps = in.getLong("steps");
        }
    }

    private static List<String> run(boolean compatible, List<Counter> made) {
        List<String> events = new ArrayList<>();
        Counter v1 = new Counter("1");
        made.add(v1);
        PluginUpdates updates = (name, version) -> {
            if (!version.equals("1")) {
                return Optional.empty();
            }
            Counter v2 = new Counter("2");
            made.add(v2);
            return Optional.of(new PluginUpdates.Update("2", v2, compatible));
        };
        KernelListener listener = new KernelListener() {
            @Override
            public void onPluginSwap(String pluginId, String from, String to, String note) {
                events.add(pluginId + " " + from + "->" + to + ": " + note);
            }
        };
        new TrainingKernel(TestData.split(2, 2), TestData.model(4), TestData.train(1, 16, 0.1), 1, Device.cpu(),
                List.of(new ActivePlugin("counter", "1", v1)), List.of(listener)).updates(updates).run();
        return events;
    }

    @Test
    void theNewVersionTakesOverAtTheBoundaryWithItsPredecessorsStateWhenTheFormatsAgree() {
        List<Counter> made = new ArrayList<>();
        List<String> events = run(true, made);
        assertEquals(List.of("counter 1->2: state carried over"), events);
        Counter v1 = made.get(0);
        Counter v2 = made.get(1);
        // 2 tasks x 8 steps: v1 saw task 0's 8 steps, v2 got that count and added task 1's
        assertEquals(8, v1.steps);
        assertTrue(v2.started);
        assertEquals(16, v2.steps);
    }

    @Test
    void withoutACommonFormatTheNewVersionStartsAfresh() {
        List<Counter> made = new ArrayList<>();
        List<String> events = run(false, made);
        assertEquals(List.of("counter 1->2: started afresh: the versions name no common state format"), events);
        assertEquals(8, made.get(1).steps);
    }
}
