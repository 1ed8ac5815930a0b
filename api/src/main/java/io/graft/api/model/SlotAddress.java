package io.graft.api.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A place on the host's slot grid where a seed module can attach, written {@code r{row}c{col}}: the row is
 * the depth (which hidden layer), the column the parallel position at that depth.
 */
public final class SlotAddress {

    private static final Pattern FORM = Pattern.compile("r(\\d+)c(\\d+)");

    private final int row;
    private final int column;

    /**
     * @param row depth, from 0
     * @param column parallel position, from 0
     */
    public SlotAddress(int row, int column) {
        if (row < 0 || column < 0) {
            throw new IllegalArgumentException("slot row and column must be >= 0: r" + row + "c" + column);
        }
        this.row = row;
        this.column = column;
    }

    /**
     * @param text an address such as {@code r1c0}
     * @return the address
     * @throws IllegalArgumentException if the text is not of the form {@code r{row}c{col}}
     */
    public static SlotAddress parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("slot address '" + text + "' is not of the form r{row}c{col}, e.g. r1c0");
        }
        return new SlotAddress(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** @return the depth */
    public int row() {
        return row;
    }

    /** @return the parallel position */
    public int column() {
        return column;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlotAddress s && s.row == row && s.column == column;
    }

    @Override
    public int hashCode() {
        return row * 31 + column;
    }

    @Override
    public String toString() {
        return "r" + row + "c" + column;
    }
}
