package io.graft.plugin.pnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.graft.api.model.TaskInfo;
import io.graft.plugin.testkit.MaskedMlp;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnLayoutTest {

    static final int[][] THREE_TASKS = {{0, 1}, {2, 3}, {4, 5}};

    static ColumnLayout layout(Connectivity connectivity) {
        return new ColumnLayout(4, new int[] {6, 6}, 6, 3, connectivity, THREE_TASKS);
    }

    @Test
    void cutsEachHiddenLayerIntoEqualColumns() {
        ColumnLayout l = layout(Connectivity.PROGRESSIVE);
        assertEquals(3, l.columns());
        assertEquals(2, l.depth());
        assertEquals(2, l.columnWidth(0));
        assertEquals(0, l.columnOf(1, 1));
        assertEquals(1, l.columnOf(1, 2));
        assertEquals(2, l.columnOf(1, 5));
        assertEquals("progressive 4-[3x2]-[3x2]-6", l.describe());
    }

    @Test
    void progressiveColumnsCountTheirLateralAdapters() {
        ColumnLayout l = layout(Connectivity.PROGRESSIVE);
        // fc1 2x(4+1), fc2 2x(2(k+1)+1), head 2 classes x (2+1)
        assertEquals(10 + 6 + 6, l.parametersOf(0));
        assertEquals(10 + 10 + 6, l.parametersOf(1));
        assertEquals(10 + 14 + 6, l.parametersOf(2));
    }

    @Test
    void independentColumnsAreTheSameSize() {
        ColumnLayout l = layout(Connectivity.INDEPENDENT);
        for (int k = 0; k < 3; k++) {
            assertEquals(22, l.parametersOf(k));
        }
    }

    @Test
    void aColumnWithoutATaskUsesNoHead() {
        ColumnLayout l = new ColumnLayout(4, new int[] {8}, 6, 4, Connectivity.INDEPENDENT, THREE_TASKS);
        assertEquals(2 * 5 + 2 * 3, l.parametersOf(0));
        assertEquals(2 * 5, l.parametersOf(3));
    }

    @Test
    void aWidthNotDivisibleByTheColumnsIsRefusedWithAValidExample() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ColumnLayout(4, new int[] {100, 130}, 6, 3, Connectivity.PROGRESSIVE, THREE_TASKS));
        assertTrue(e.getMessage().contains("model.hidden [100, 130]"), e.getMessage());
        assertTrue(e.getMessage().contains("divisible by 3"), e.getMessage());
        assertTrue(e.getMessage().contains("model.hidden: [102, 132]"), e.getMessage());
    }

    @Test
    void fewerColumnsThanTasksAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ColumnLayout(4, new int[] {6}, 6, 2, Connectivity.PROGRESSIVE, THREE_TASKS));
        assertTrue(e.getMessage().contains("columns"), e.getMessage());
    }

    @Test
    void sharedClassesAndAMissingHiddenLayerAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ColumnLayout(4, new int[] {6}, 6, 3,
                Connectivity.PROGRESSIVE, new int[][] {{0, 1}, {1, 2}, {3, 4}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ColumnLayout(4, new int[0], 6, 3, Connectivity.PROGRESSIVE, THREE_TASKS));
        assertTrue(e.getMessage().contains("model.hidden"), e.getMessage());
    }

    @Test
    void readsTheHostsWidthsAndTakesOneColumnPerTaskByDefault() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MaskedMlp host = new MaskedMlp(manager, 4, new int[] {9, 6}, 6, 1);
            List<TaskInfo> tasks = List.of(new TaskInfo(0, "a", new int[] {0, 1}),
                    new TaskInfo(1, "b", new int[] {2, 3}), new TaskInfo(2, "c", new int[] {4, 5}));
            ColumnLayout l = ColumnLayout.of(host, 0, Connectivity.INDEPENDENT, tasks);
            assertEquals("independent 4-[3x3]-[3x2]-6", l.describe());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ColumnLayout.of(host, 2, Connectivity.INDEPENDENT, tasks.subList(0, 2)));
            assertTrue(e.getMessage().contains("model.hidden [9, 6]"), e.getMessage());
        }
    }
}
