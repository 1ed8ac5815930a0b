package io.graft.plugin.seeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graft.api.growth.Blueprint;
import io.graft.api.growth.SeedStage;
import io.graft.api.growth.SlotView;
import io.graft.api.model.SlotAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where seeds go, and the one-line refusals of settings that cannot fit the grid. */
class SlotChoiceTest {

    record Slot(SlotAddress address, String layer, boolean convolutional, SeedStage stage) implements SlotView {
        @Override
        public double alpha() {
            return 0;
        }

        @Override
        public long parameterCount() {
            return 0;
        }

        @Override
        public Blueprint blueprint() {
            return null;
        }

        @Override
        public int task() {
            return -1;
        }

        @Override
        public double contribution() {
            return Double.NaN;
        }
    }

    /** Two rows (fc1, fc2) of two columns; r1c0 already taken. */
    private static List<SlotView> grid(boolean conv) {
        List<SlotView> g = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                g.add(new Slot(new SlotAddress(r, c), "fc" + (r + 1), conv,
                        r == 1 && c == 0 ? SeedStage.TRAINING : SeedStage.DORMANT));
            }
        }
        return g;
    }

    @Test
    void autoPicksTheFirstDormantSlotOfItsRow() {
        assertEquals("r1c1", new SlotChoice("auto", "last").pick(grid(false)).address().toString());
        assertEquals("r0c0", new SlotChoice("auto", "first").pick(grid(false)).address().toString());
        assertEquals("r0c0", new SlotChoice("auto", "0").pick(grid(false)).address().toString());
        assertNull(new SlotChoice("r1c0", "last").pick(grid(false)), "a fixed slot that is taken gives nothing");
    }

    @Test
    void slotsOutsideTheGridAndBlueprintsThatDoNotFitAreRefusedInOneLine() {
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> new SlotChoice("r2c0", "last").check(grid(false), Blueprint.residual(4)));
        assertEquals("slot r2c0 is outside the grid: the grid has rows r0..r1 and columns c0..c1 (model.slots: 2)",
                outside.getMessage());
        IllegalArgumentException row = assertThrows(IllegalArgumentException.class,
                () -> new SlotChoice("auto", "5").check(grid(false), Blueprint.residual(4)));
        assertEquals("row 5 is outside the grid: the grid has rows r0..r1 and columns c0..c1 (model.slots: 2)",
                row.getMessage());
        IllegalArgumentException conv = assertThrows(IllegalArgumentException.class,
                () -> new SlotChoice("r0c1", "last").check(grid(false), Blueprint.conv(8)));
        assertEquals("blueprint conv does not fit slot r0c1, which follows a dense layer; use blueprint residual or linear",
                conv.getMessage());
        IllegalArgumentException dense = assertThrows(IllegalArgumentException.class,
                () -> new SlotChoice("auto", "first").check(grid(true), Blueprint.linear()));
        assertEquals("blueprint linear does not fit slot r0c0, which follows a convolutional block; use blueprint conv",
                dense.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new SlotChoice("auto", "last").check(List.of(), Blueprint.linear()));
        assertEquals("the host has no slots; set model.slots to the number of slot columns per hidden layer (e.g. 1)",
                none.getMessage());
    }
}
