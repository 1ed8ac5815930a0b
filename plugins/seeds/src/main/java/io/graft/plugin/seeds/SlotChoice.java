package io.graft.plugin.seeds;

import io.graft.api.growth.Blueprint;
import io.graft.api.growth.SeedStage;
import io.graft.api.growth.SlotView;
import io.graft.api.model.SlotAddress;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where a policy puts its next seed: a fixed address ({@code slot: r1c0}) or the first dormant slot of a row
 * ({@code slot: auto} with {@code row: last | first | <index>}), and the checks that the choice can ever work.
 *
 * @param slot {@code auto} or an address {@code r{row}c{col}}
 * @param row for {@code auto}: {@code last}, {@code first} or a row index
 */
record SlotChoice(String slot, String row) {

    static final String AUTO = "auto";

    /**
     * Refuses, in one line, a choice that does not fit the grid or a blueprint that does not fit the slot.
     *
     * @param grid the editor's slots
     * @param blueprint what will be germinated there
     * @throws IllegalArgumentException naming the problem and the fix
     */
    void check(List<SlotView> grid, Blueprint blueprint) {
        if (grid.isEmpty()) {
            throw new IllegalArgumentException("the host has no slots; set model.slots to the number of slot columns per"
                    + " hidden layer (e.g. 1)");
        }
        List<SlotView> candidates = candidates(grid);
        for (SlotView s : candidates) {
            boolean conv = blueprint.kind() == Blueprint.Kind.CONV;
            if (conv != s.convolutional()) {
                throw new IllegalArgumentException("blueprint " + blueprint.kind().key() + " does not fit slot "
                        + s.address() + ", which follows " + (s.convolutional() ? "a convolutional block; use blueprint conv"
                        : "a dense layer; use blueprint residual or linear"));
            }
        }
    }

    /**
     * @param grid the editor's slots
     * @return the slots this choice may use, in preference order
     * @throws IllegalArgumentException for an address or row outside the grid
     */
    List<SlotView> candidates(List<SlotView> grid) {
        int rows = grid.stream().mapToInt(s -> s.address().row()).max().orElse(-1) + 1;
        int columns = grid.stream().mapToInt(s -> s.address().column()).max().orElse(-1) + 1;
        String extent = "the grid has rows r0..r" + (rows - 1) + " and columns c0..c" + (columns - 1) + " (model.slots: "
                + columns + ")";
        if (!AUTO.equals(slot)) {
            SlotAddress a = SlotAddress.parse(slot);
            List<SlotView> match = grid.stream().filter(s -> s.address().equals(a)).toList();
            if (match.isEmpty()) {
                throw new IllegalArgumentException("slot " + a + " is outside the grid: " + extent);
            }
            return match;
        }
        int r;
        if ("last".equals(row)) {
            r = rows - 1;
        } else if ("first".equals(row)) {
            r = 0;
        } else {
            try {
                r = Integer.parseInt(row);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("row '" + row + "' is not last, first or a row index");
            }
            if (r < 0 || r >= rows) {
                throw new IllegalArgumentException("row " + r + " is outside the grid: " + extent);
            }
        }
        int chosen = r;
        return grid.stream().filter(s -> s.address().row() == chosen).collect(Collectors.toList());
    }

    /**
     * @param grid the editor's slots now
     * @return the first dormant candidate, or {@code null} when every candidate is taken or cooling down
     */
    SlotView pick(List<SlotView> grid) {
        for (SlotView s : candidates(grid)) {
            if (s.stage() == SeedStage.DORMANT) {
                return s;
            }
        }
        return null;
    }
}
