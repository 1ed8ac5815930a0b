package io.graft.runtime.kernel;

import static io.graft.runtime.kernel.ConvTraining.maxDifference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Growth of the convolutional host: every change preserves the function in evaluation mode (after a few
 * training steps, so BatchNorm's running statistics are not trivial), and the optimizer's velocity and the
 * pruning masks follow the channels.
 */
class ConvGrowthTest {

    private NDManager manager;
    private final List<GrowthEvent> events = new ArrayList<>();

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private ConvGrowth editor(ConvHost host, Sgd sgd, Map<String, NDArray> masks, long seed) {
        return new ConvGrowth(host, sgd, masks, new Random(seed), events::add);
    }

    /** Switches a channel off for good: its filter, bias, BatchNorm scale and shift set to 0. */
    private static void silence(ConvHost host, String layer, int channel) {
        for (String suffix : List.of(".weight", ".bias", ".bn.gamma", ".bn.beta")) {
            NDArray p = host.parameter(layer + suffix).array();
            float[] v = p.toFloatArray();
            int row = v.length / Math.toIntExact(p.getShape().get(0));
            java.util.Arrays.fill(v, channel * row, (channel + 1) * row, 0f);
            p.set(v);
        }
    }

    @Test
    void everyChangePreservesTheFunctionOverRandomShapes() {
        Random r = new Random(17);
        float worst = 0;
        for (int trial = 0; trial < 24; trial++) {
            int side = 4 + r.nextInt(7);
            int[] shape = {1 + r.nextInt(2), side, side + r.nextInt(3)};
            int maxBlocks = side >= 8 ? 3 : 2;
            int blocks = 1 + r.nextInt(maxBlocks);
            List<Integer> conv = new ArrayList<>();
            for (int k = 0; k < blocks; k++) {
                conv.add(1 + r.nextInt(6));
            }
            List<Integer> hidden = new ArrayList<>();
            for (int d = r.nextInt(3); d > 0; d--) {
                hidden.add(1 + r.nextInt(8));
            }
            int outputs = 2 + r.nextInt(5);
            ConvHost host = new ConvHost(manager, shape, conv, hidden, outputs, trial);
            Sgd sgd = new Sgd(0.05, 0.9, manager);
            ConvTraining.train(host, sgd, manager, r, 2, shape);
            ConvGrowth grow = editor(host, sgd, new LinkedHashMap<>(), trial);
            NDArray x = ConvTraining.images(manager, r, 20, shape);
            float[] before = host.predict(x).toFloatArray();
            String where = "trial " + trial + " " + java.util.Arrays.toString(shape) + " conv " + conv + " hidden "
                    + hidden + ": ";

            String block = "conv" + (1 + r.nextInt(blocks));
            grow.widen(block, grow.width(block) + 1 + r.nextInt(6), 0.0, trial % 2 == 0 ? 0.0 : 0.5);
            float d = maxDifference(before, host.predict(x).toFloatArray());
            assertTrue(d <= 1e-5f, where + "widen " + block + " by " + d);
            worst = Math.max(worst, d);
            if (!hidden.isEmpty()) {
                String fc = "fc" + (1 + r.nextInt(hidden.size()));
                grow.widen(fc, grow.width(fc) + 1 + r.nextInt(6), 0.0);
                d = maxDifference(before, host.predict(x).toFloatArray());
                assertTrue(d <= 1e-5f, where + "widen " + fc + " by " + d);
                worst = Math.max(worst, d);
            }
            String after = "conv" + (1 + r.nextInt(blocks));
            String inserted = grow.insertIdentity(after);
            d = maxDifference(before, host.predict(x).toFloatArray());
            assertTrue(d <= 1e-5f, where + "Dirac block " + inserted + " after " + after + " by " + d);
            worst = Math.max(worst, d);
            assertEquals(host.layers().indexOf(after) + 1, host.layers().indexOf(inserted));

            // a channel whose filter, bias and BatchNorm are zero outputs 0: removing it changes nothing
            String shrink = host.layers().get(r.nextInt(host.blockCount()));
            int width = grow.width(shrink);
            if (width > 1) {
                int gone = r.nextInt(width);
                silence(host, shrink, gone);
                float[] silenced = host.predict(x).toFloatArray();
                int[] keep = java.util.stream.IntStream.range(0, width).filter(j -> j != gone).toArray();
                grow.removeUnits(shrink, keep);
                assertEquals(width - 1, grow.width(shrink));
                d = maxDifference(silenced, host.predict(x).toFloatArray());
                assertTrue(d <= 1e-5f, where + "remove channel " + gone + " of " + shrink + " by " + d);
                worst = Math.max(worst, d);
            }
            if (trial % 6 == 0) {
                // still trainable after all that
                ConvTraining.train(host, sgd, manager, r, 1, shape);
            }
        }
        System.out.println("[conv growth] worst |change of a logit| over 24 shapes: " + worst);
    }

    @Test
    void widenCopiesChannelsWithTheirStatisticsAndSplitsTheNextInputs() {
        int[] shape = {1, 6, 6};
        ConvHost host = new ConvHost(manager, shape, List.of(2, 3), List.of(), 2, 5);
        ConvTraining.train(host, new Sgd(0.1, 0.0, manager), manager, new Random(1), 2, shape);
        float[] w = host.parameter("conv1.weight").array().toFloatArray();
        float[] mean = host.buffers().get("conv1.bn.runningMean").toFloatArray();
        float[] var = host.buffers().get("conv1.bn.runningVar").toFloatArray();
        float[] next = host.parameter("conv2.weight").array().toFloatArray();
        editor(host, new Sgd(0.1, 0.0, manager), new LinkedHashMap<>(), 1).widen("conv1", 3, 0.0);
        float[] w2 = host.parameter("conv1.weight").array().toFloatArray();
        int source = w2[18] == w[0] ? 0 : 1;
        assertArrayEquals(java.util.Arrays.copyOfRange(w, source * 9, source * 9 + 9),
                java.util.Arrays.copyOfRange(w2, 18, 27));
        assertEquals(mean[source], host.buffers().get("conv1.bn.runningMean").getFloat(2));
        assertEquals(var[source], host.buffers().get("conv1.bn.runningVar").getFloat(2));
        assertEquals(new Shape(3, 3, 3, 3), host.parameter("conv2.weight").array().getShape());
        float[] next2 = host.parameter("conv2.weight").array().toFloatArray();
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 9; i++) {
                float original = next[(o * 2 + source) * 9 + i];
                assertEquals(original / 2, next2[(o * 3 + source) * 9 + i], 0f);
                assertEquals(original / 2, next2[(o * 3 + 2) * 9 + i], 0f);
                assertEquals(next[(o * 2 + 1 - source) * 9 + i], next2[(o * 3 + 1 - source) * 9 + i], 0f);
            }
        }
        assertEquals("widen", events.get(0).operation());
        assertEquals("2 -> 3 channels, noise 0.0, spread 0.0", events.get(0).detail());
    }

    @Test
    void theLastBlockOwnsItsPixelsOfTheFlattenedInputs() {
        int[] shape = {1, 4, 4};
        ConvHost host = new ConvHost(manager, shape, List.of(2), List.of(3), 2, 5);
        // 4x4 pooled to 2x2: each channel owns 4 columns of fc1
        float[] fc1 = host.parameter("fc1.weight").array().toFloatArray();
        editor(host, new Sgd(0.1, 0.0, manager), new LinkedHashMap<>(), 2).widen("conv1", 4, 0.0);
        assertEquals(new Shape(3, 16), host.parameter("fc1.weight").array().getShape());
        float[] grown = host.parameter("fc1.weight").array().toFloatArray();
        float[] w = host.parameter("conv1.weight").array().toFloatArray();
        int[] source = new int[4];
        for (int j = 0; j < 4; j++) {
            source[j] = w[j * 9] == w[0] && w[j * 9 + 1] == w[1] ? 0 : 1;
        }
        for (int o = 0; o < 3; o++) {
            for (int p = 0; p < 4; p++) {
                float[] total = new float[2];
                for (int j = 0; j < 4; j++) {
                    // every copy of a channel reads the same share of each of its pixels' columns
                    assertEquals(grown[o * 16 + source[j] * 4 + p], grown[o * 16 + j * 4 + p], 0f);
                    total[source[j]] += grown[o * 16 + j * 4 + p];
                }
                assertEquals(fc1[o * 8 + p], total[0], 1e-6f);
                assertEquals(fc1[o * 8 + 4 + p], total[1], 1e-6f);
            }
        }
    }

    @Test
    void oldEntriesKeepTheirVelocityAndNewOnesStartAtZero() {
        int[] shape = {1, 4, 4};
        ConvHost host = new ConvHost(manager, shape, List.of(2), List.of(3), 2, 5);
        Sgd sgd = new Sgd(0.1, 0.9, manager);
        ConvTraining.train(host, sgd, manager, new Random(3), 2, shape);
        float[] w = sgd.state().get("conv1.weight").toFloatArray();
        float[] gamma = sgd.state().get("conv1.bn.gamma").toFloatArray();
        float[] fc1 = sgd.state().get("fc1.weight").toFloatArray();
        Map<String, NDArray> masks = new LinkedHashMap<>();
        masks.put("conv1.weight", manager.ones(new Shape(2, 1, 3, 3)));
        ConvGrowth grow = editor(host, sgd, masks, 1);
        grow.widen("conv1", 3, 0.0);
        float[] w2 = sgd.state().get("conv1.weight").toFloatArray();
        assertArrayEquals(w, java.util.Arrays.copyOf(w2, 18));
        assertArrayEquals(new float[9], java.util.Arrays.copyOfRange(w2, 18, 27));
        assertArrayEquals(new float[] {gamma[0], gamma[1], 0}, sgd.state().get("conv1.bn.gamma").toFloatArray());
        float[] fc2 = sgd.state().get("fc1.weight").toFloatArray();
        for (int o = 0; o < 3; o++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(fc1, o * 8, o * 8 + 8),
                    java.util.Arrays.copyOfRange(fc2, o * 12, o * 12 + 8));
            assertArrayEquals(new float[4], java.util.Arrays.copyOfRange(fc2, o * 12 + 8, o * 12 + 12));
        }
        assertEquals(new Shape(3, 1, 3, 3), masks.get("conv1.weight").getShape());

        grow.removeUnits("conv1", new int[] {0, 2});
        float[] w3 = sgd.state().get("conv1.weight").toFloatArray();
        assertArrayEquals(java.util.Arrays.copyOf(w, 9), java.util.Arrays.copyOf(w3, 9));
        assertArrayEquals(new float[9], java.util.Arrays.copyOfRange(w3, 9, 18));
        assertEquals(new Shape(3, 8), sgd.state().get("fc1.weight").getShape());
        assertEquals(new Shape(2, 1, 3, 3), masks.get("conv1.weight").getShape());
        assertEquals("3 -> 2 channels", events.get(1).detail());

        String added = grow.insertIdentity("conv1");
        assertEquals("conv2", added);
        assertEquals(List.of("conv1", "conv2", "fc1", "out"), host.layers());
        assertTrue(!sgd.state().containsKey("conv2.weight"), "a new block starts without state");
        assertEquals(new Shape(3, 8), host.parameter("fc1.weight").array().getShape(), "no pooling in the new block");
    }

    @Test
    void theHeadIsRefused() {
        ConvHost host = new ConvHost(manager, new int[] {1, 4, 4}, List.of(2), List.of(), 2, 5);
        ConvGrowth grow = editor(host, new Sgd(0.1, 0.0, manager), new LinkedHashMap<>(), 1);
        IllegalArgumentException head = assertThrows(IllegalArgumentException.class, () -> grow.widen("out", 5, 0));
        assertEquals("'out' is the head; only hidden layers ([conv1]) can be changed", head.getMessage());
        assertThrows(IllegalArgumentException.class, () -> grow.insertIdentity("conv9"));
        assertThrows(IllegalArgumentException.class, () -> grow.removeUnits("conv1", new int[0]));
    }
}
