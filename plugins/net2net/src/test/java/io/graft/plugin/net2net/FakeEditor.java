package io.graft.plugin.net2net;

import io.graft.api.growth.Blueprint;
import io.graft.api.growth.SeedPlan;
import io.graft.api.growth.SlotView;
import io.graft.api.growth.StructureEditor;
import io.graft.api.model.SlotAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link StructureEditor} double that keeps only the shape of an MLP (layer names and widths) and follows
 * the kernel's rules for it: only hidden layers change, a widening must grow, an inserted layer takes the
 * next free {@code fcN} name and the width of the layer it follows. The policies decide on shapes only, so
 * this is all their decisions can see.
 */
final class FakeEditor implements StructureEditor {

    private final int inputs;
    private final Map<String, Integer> widths = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();

    /** @param hidden widths of fc1, fc2, ...; the head {@code out} has 10 units */
    FakeEditor(int inputs, int... hidden) {
        this.inputs = inputs;
        for (int i = 0; i < hidden.length; i++) {
            widths.put("fc" + (i + 1), hidden[i]);
        }
        widths.put("out", 10);
    }

    @Override
    public List<String> layers() {
        return List.copyOf(widths.keySet());
    }

    @Override
    public int width(String layer) {
        Integer w = widths.get(layer);
        if (w == null) {
            throw new IllegalArgumentException("unknown layer " + layer);
        }
        return w;
    }

    @Override
    public long parameterCount() {
        long count = 0;
        int in = inputs;
        for (int w : widths.values()) {
            count += (long) (in + 1) * w;
            in = w;
        }
        return count;
    }

    @Override
    public void widen(String layer, int width, double noise) {
        widen(layer, width, noise, 0.0);
    }

    @Override
    public void widen(String layer, int width, double noise, double spread) {
        hidden(layer);
        if (width <= widths.get(layer)) {
            throw new IllegalArgumentException("widen " + layer + " to " + width + ": not larger");
        }
        widths.put(layer, width);
        calls.add("widen " + layer + " " + width + " " + noise + (spread == 0 ? "" : " spread " + spread));
    }

    @Override
    public String insertIdentity(String layer) {
        hidden(layer);
        int k = 1;
        while (widths.containsKey("fc" + k)) {
            k++;
        }
        String name = "fc" + k;
        Map<String, Integer> grown = new LinkedHashMap<>();
        widths.forEach((n, w) -> {
            grown.put(n, w);
            if (n.equals(layer)) {
                grown.put(name, w);
            }
        });
        widths.clear();
        widths.putAll(grown);
        calls.add("insert " + name + " after " + layer);
        return name;
    }

    @Override
    public void removeUnits(String layer, int[] units) {
        throw new UnsupportedOperationException("the growth policies never remove units");
    }

    private void hidden(String layer) {
        if (!widths.containsKey(layer) || layer.equals("out")) {
            throw new IllegalArgumentException("not a hidden layer: " + layer);
        }
    }

    @Override
    public List<SlotView> slots() {
        return List.of();
    }

    @Override
    public void germinate(SlotAddress slot, Blueprint blueprint, SeedPlan plan) {
        throw new UnsupportedOperationException("the Net2Net policies never germinate seeds");
    }

    @Override
    public void cull(SlotAddress slot, String reason, long embargoSteps) {
        throw new UnsupportedOperationException("the Net2Net policies never cull seeds");
    }

    @Override
    public double contribution(SlotAddress slot) {
        throw new UnsupportedOperationException("the Net2Net policies never measure seeds");
    }

    @Override
    public void freeze(String layer) {
        calls.add("freeze " + layer);
    }

    @Override
    public void unfreeze(String layer) {
        calls.add("unfreeze " + layer);
    }

    @Override
    public void addUnits(String layer, int count) {
        calls.add("addUnits " + layer + " " + count);
        widths.put(layer, width(layer) + count);
    }
}
