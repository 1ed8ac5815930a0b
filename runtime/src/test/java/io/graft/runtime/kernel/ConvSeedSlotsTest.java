package io.graft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.graft.api.growth.BlendMode;
import io.graft.api.growth.BlendSchedule;
import io.graft.api.growth.Blueprint;
import io.graft.api.growth.SeedPlan;
import io.graft.api.growth.SeedStage;
import io.graft.api.growth.SlotView;
import io.graft.api.model.SlotAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seeds on the convolutional host, on real DJL arrays: the grid after blocks and dense layers, function-preserving
 * germination of conv seeds, the conv module's arithmetic, the shadow path's tail and BatchNorm held still.
 */
class ConvSeedSlotsTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private SeedSlots slots(Host host, int columns, BlendSchedule schedule) {
        Map<String, BlendSchedule> schedules = new LinkedHashMap<>();
        schedules.put("ramp", schedule);
        SeedSlots s = new SeedSlots(host, columns, manager, schedules, new Random(3), new SeedSlots.Listener() {
            @Override
            public void onSeed(SeedEvent event) {
            }

            @Override
            public void onAlpha(long step, String slot, double alpha) {
            }
        });
        host.slotTap(s);
        return s;
    }

    private static float[] logits(Host host, NDArray x) {
        try (NDManager pass = x.getManager().newSubManager()) {
            NDArray in = x.duplicate();
            in.attach(pass);
            return host.forward(in, ForwardMasks.NONE).toFloatArray();
        }
    }

    /** Records one layer's output as the host hands it to the slots. */
    private static final class Capture implements SlotTap {
        final String layer;
        NDArray activation;

        Capture(String layer) {
            this.layer = layer;
        }

        @Override
        public NDArray at(String at, NDArray a) {
            if (at.equals(layer)) {
                activation = a;
            }
            return a;
        }
    }

    @Test
    void germinatingConvSeedsLeavesTheEvalLogitsUnchangedOverRandomShapes() {
        Random shapes = new Random(17);
        for (int trial = 0; trial < 20; trial++) {
            int[] input = {1 + shapes.nextInt(3), 4 + shapes.nextInt(9), 4 + shapes.nextInt(9)};
            List<Integer> conv = new ArrayList<>();
            int blocks = 1 + shapes.nextInt(2);
            for (int k = 0; k < blocks; k++) {
                conv.add(1 + shapes.nextInt(8));
            }
            List<Integer> hidden = new ArrayList<>();
            int dense = shapes.nextInt(3);
            for (int l = 0; l < dense; l++) {
                hidden.add(1 + shapes.nextInt(16));
            }
            ConvHost host = new ConvHost(manager, input, conv, hidden, 2 + shapes.nextInt(8), trial);
            // BatchNorm away from its initial statistics, so evaluation mode is not the identity
            ConvTraining.train(host, new Sgd(0.05, 0.9, manager), manager, shapes, 3, input);
            SeedSlots seeds = slots(host, 2, new SeedSlotsTest.Ramp(10, BlendMode.values()[trial % 3]));
            String shape = java.util.Arrays.toString(input) + " conv " + conv + " hidden " + hidden;
            NDArray x = ConvTraining.images(manager, shapes, 12, input);
            float[] before = logits(host, x);
            int row = shapes.nextInt(blocks);
            // a zero-initialised conv branch is integrated at once (alpha 1): its output is exactly zero
            seeds.germinate(new SlotAddress(row, 0), Blueprint.conv(1 + shapes.nextInt(6)),
                    SeedPlan.builder().graftAtOnce().build());
            // a randomly initialised conv seed, germinated and then training (alpha 0), changes nothing in eval mode
            seeds.germinate(new SlotAddress(row, 1), Blueprint.conv(1 + shapes.nextInt(6)).withZeroInit(false),
                    SeedPlan.builder().trainingSteps(5).build());
            assertArrayEquals(before, logits(host, x), 1e-6f, shape + ", row " + row);
            seeds.beginStep(0, 0, (b, e) -> e);
            assertEquals(SeedStage.TRAINING, seeds.views().get(2 * row + 1).stage());
            assertArrayEquals(before, logits(host, x), 1e-6f, "training seed, " + shape + ", row " + row);
            assertEquals(SeedStage.INTEGRATED, seeds.views().get(2 * row).stage());
            int inner = seeds.views().get(2 * row).blueprint().hidden();
            int c = conv.get(row);
            assertEquals(c * inner * 9 + inner + inner * c * 9 + c, seeds.views().get(2 * row).parameterCount(), shape);
            assertTrue(host.parameters().stream().anyMatch(p -> p.name().equals("seed.r" + row + "c1.in.weight")),
                    "the seeds' parameters are the network's: " + shape);
        }
    }

    @Test
    void theGridHasARowAfterEveryBlockAndDenseLayerAndRefusesBlueprintsThatDoNotFit() {
        ConvHost host = new ConvHost(manager, new int[] {1, 8, 8}, List.of(3, 5), List.of(7), 4, 1);
        SeedSlots seeds = slots(host, 1, new SeedSlotsTest.Ramp(2, BlendMode.RESIDUAL));
        List<SlotView> grid = seeds.views();
        assertEquals(List.of("conv1", "conv2", "fc1"), grid.stream().map(SlotView::layer).toList());
        assertEquals(List.of(true, true, false), grid.stream().map(SlotView::convolutional).toList());
        IllegalArgumentException residual = assertThrows(IllegalArgumentException.class,
                () -> seeds.germinate(new SlotAddress(1, 0), Blueprint.residual(4), SeedPlan.builder().build()));
        assertEquals("blueprint residual(4) does not fit slot r1c0, which follows a convolutional block of 5 channels;"
                + " use conv", residual.getMessage());
        IllegalArgumentException linear = assertThrows(IllegalArgumentException.class,
                () -> seeds.germinate(new SlotAddress(0, 0), Blueprint.linear(), SeedPlan.builder().build()));
        assertEquals("blueprint linear does not fit slot r0c0, which follows a convolutional block of 3 channels; use"
                + " conv", linear.getMessage());
        IllegalArgumentException conv = assertThrows(IllegalArgumentException.class,
                () -> seeds.germinate(new SlotAddress(2, 0), Blueprint.conv(2), SeedPlan.builder().build()));
        assertEquals("blueprint conv(2) does not fit slot r2c0, which follows a dense layer of 7 units; use residual or"
                + " linear", conv.getMessage());
        assertTrue(seeds.views().stream().allMatch(s -> s.stage() == SeedStage.DORMANT), "refusals leave no seed");

        Sgd sgd = new Sgd(0.1, 0.0, manager);
        ConvGrowth editor = new ConvGrowth(host, sgd, new LinkedHashMap<>(), new Random(1), e -> { });
        editor.seeds(seeds);
        editor.germinate(SlotAddress.parse("r1c0"), Blueprint.conv(2), SeedPlan.builder().build());
        IllegalArgumentException widen = assertThrows(IllegalArgumentException.class, () -> editor.widen("conv2", 8, 0));
        assertEquals("'conv2' has a seed in one of its slots; its width cannot change while the seed lives (cull it"
                + " first)", widen.getMessage());
        editor.widen("conv1", 6, 0);
        assertEquals(6, host.width("conv1"), "a layer without seeds still grows");
    }

    /** 3x3 convolution with padding 1, by hand. */
    private static float[] conv3x3(float[] x, int n, int cin, int h, int w, float[] weight, float[] bias, int cout,
                                   boolean relu) {
        float[] out = new float[n * cout * h * w];
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < cout; o++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        double v = bias[o];
                        for (int c = 0; c < cin; c++) {
                            for (int di = 0; di < 3; di++) {
                                for (int dj = 0; dj < 3; dj++) {
                                    int ii = i + di - 1;
                                    int jj = j + dj - 1;
                                    if (ii >= 0 && ii < h && jj >= 0 && jj < w) {
                                        v += weight[((o * cin + c) * 3 + di) * 3 + dj] * x[((s * cin + c) * h + ii) * w + jj];
                                    }
                                }
                            }
                        }
                        out[((s * cout + o) * h + i) * w + j] = relu ? (float) Math.max(0, v) : (float) v;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void aConvSeedComputesTwoPaddedConvolutionsAndItsGateReadsTheChannelMeans() {
        int n = 2;
        int c = 3;
        int h = 5;
        int w = 4;
        int inner = 2;
        SeedModule m = SeedModule.grow("seed.r0c0.", Blueprint.conv(inner).withZeroInit(false), c, true, true, manager,
                new Random(5));
        assertEquals(List.of("seed.r0c0.in.weight", "seed.r0c0.in.bias", "seed.r0c0.out.weight", "seed.r0c0.out.bias",
                "seed.r0c0.gate.weight", "seed.r0c0.gate.bias"), m.parameters().stream().map(HostParameter::name).toList());
        NDArray x = manager.randomNormal(new Shape(n, c, h, w));
        float[] in = x.toFloatArray();
        Map<String, float[]> p = new LinkedHashMap<>();
        for (HostParameter hp : m.parameters()) {
            p.put(hp.name().substring("seed.r0c0.".length()), hp.array().toFloatArray());
        }
        float[] z = conv3x3(in, n, c, h, w, p.get("in.weight"), p.get("in.bias"), inner, true);
        float[] expected = conv3x3(z, n, inner, h, w, p.get("out.weight"), p.get("out.bias"), c, false);
        NDArray out = m.output(x, false);
        assertEquals(new Shape(n, c, h, w), out.getShape());
        assertArrayEquals(expected, out.toFloatArray(), 1e-5f);
        NDArray gate = m.gate(x, false);
        assertEquals(new Shape(n, 1, 1, 1), gate.getShape());
        assertArrayEquals(new float[] {0.5f, 0.5f}, gate.toFloatArray(), 0f, "a gate starts at sigma(0)");
        m.parameters().get(4).array().addi(1f);
        float[] pixels = x.toFloatArray();
        float[] means = new float[n * c];
        for (int i = 0; i < pixels.length; i++) {
            means[i / (h * w)] += pixels[i] / (h * w);
        }
        for (int s = 0; s < n; s++) {
            double dot = means[s * c] + means[s * c + 1] + means[s * c + 2];
            assertEquals(1 / (1 + Math.exp(-dot)), m.gate(x, false).toFloatArray()[s], 1e-6, "sample " + s);
        }
        SeedModule zero = SeedModule.grow("seed.r0c1.", Blueprint.conv(inner), c, true, false, manager, new Random(5));
        assertEquals(0f, zero.output(x, false).abs().max().getFloat(), "zero-initialised: the output is exactly zero");
    }

    @Test
    void aBlendingConvSeedIsMixedIntoTheBlockOutputAsTheModeSays() {
        int[] input = {2, 6, 6};
        NDArray x = ConvTraining.images(manager, new Random(2), 4, input);
        for (BlendMode mode : BlendMode.values()) {
            ConvHost host = new ConvHost(manager, input, List.of(3, 4), List.of(5), 3, 9);
            ConvHost plain = new ConvHost(manager, input, List.of(3, 4), List.of(5), 3, 9);
            SeedSlots seeds = slots(host, 1, new SeedSlotsTest.Ramp(4, mode));
            seeds.germinate(new SlotAddress(0, 0), Blueprint.conv(2).withZeroInit(false),
                    SeedPlan.builder().trainingSteps(0).build());
            seeds.beginStep(0, 0, (b, e) -> e);
            seeds.endStep(0);
            seeds.beginStep(1, 0, (b, e) -> e);   // blend step 1 of 4: alpha 0.25
            Capture capture = new Capture("conv1");
            plain.slotTap(capture);
            plain.forward(x, ForwardMasks.NONE);
            NDArray hc = capture.activation;
            NDArray s = SeedModule.grow("seed.r0c0.", Blueprint.conv(2).withZeroInit(false), 3, true, false, manager,
                    new Random(3)).output(hc, false);
            NDArray mixed = switch (mode) {
                case RESIDUAL -> hc.add(s.mul(0.25f));
                case INTERPOLATIVE -> hc.mul(0.75f).add(s.mul(0.25f));
                // the gate starts at sigma(0) = 1/2
                case GATED -> hc.add(s.mul(0.25f * 0.5f));
            };
            plain.slotTap(SlotTap.NONE);
            assertArrayEquals(plain.forwardFrom("conv1", mixed, ForwardMasks.NONE).toFloatArray(), logits(host, x), 1e-5f,
                    mode.name());
        }
    }

    @Test
    void theShadowTailRepeatsTheEvalPassTrainsNothingOfTheHostAndLeavesItsStatisticsAlone() {
        int[] input = {1, 8, 8};
        for (String layer : List.of("conv1", "conv2", "fc1")) {
            ConvHost host = new ConvHost(manager, input, List.of(3, 4), List.of(6), 5, 4);
            ConvTraining.train(host, new Sgd(0.05, 0.0, manager), manager, new Random(1), 3, input);
            NDArray x = ConvTraining.images(manager, new Random(2), 6, input);
            Capture capture = new Capture(layer);
            host.slotTap(capture);
            float[] eval = host.forward(x, ForwardMasks.NONE).toFloatArray();
            host.slotTap(SlotTap.NONE);
            assertArrayEquals(eval, host.forwardFrom(layer, capture.activation, ForwardMasks.NONE).toFloatArray(), 1e-6f,
                    "the tail after " + layer + " is the eval pass's");

            Map<String, float[]> buffers = new LinkedHashMap<>();
            host.buffers().forEach((k, v) -> buffers.put(k, v.toFloatArray()));
            NDArray a = capture.activation.duplicate();
            a.setRequiresGradient(true);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                collector.backward(host.forwardFrom(layer, a, ForwardMasks.NONE).logSoftmax(1).get(":, 0").mean().neg());
            }
            assertTrue(a.getGradient().abs().sum().getFloat() > 0, "the activation gets the gradient");
            for (HostParameter p : host.hostParameters()) {
                NDArray g = p.array().getGradient();
                assertEquals(0f, g == null ? 0f : g.abs().sum().getFloat(), p.name() + " after " + layer);
            }
            host.buffers().forEach((k, v) -> assertArrayEquals(buffers.get(k), v.toFloatArray(), 0f, k));
        }
        ConvHost host = new ConvHost(manager, input, List.of(3), List.of(), 5, 4);
        assertThrows(IllegalArgumentException.class, () -> host.forwardFrom("out", manager.zeros(new Shape(1, 5)),
                ForwardMasks.NONE));
    }

    @Test
    void blocksHeldStillInATrainingPassUseAndKeepTheirRunningStatistics() {
        int[] input = {1, 8, 8};
        ConvHost host = new ConvHost(manager, input, List.of(3, 4), List.of(), 3, 6);
        ConvTraining.train(host, new Sgd(0.05, 0.0, manager), manager, new Random(1), 3, input);
        NDArray x = ConvTraining.images(manager, new Random(2), 6, input);
        Map<String, float[]> before = new LinkedHashMap<>();
        host.buffers().forEach((k, v) -> before.put(k, v.toFloatArray()));
        Capture still = new Capture("conv1");
        host.slotTap(still);
        host.forwardTraining(x, ForwardMasks.NONE, Set.of("conv1"));
        Capture eval = new Capture("conv1");
        host.slotTap(eval);
        host.forward(x, ForwardMasks.NONE);
        assertArrayEquals(eval.activation.toFloatArray(), still.activation.toFloatArray(), 0f,
                "a block held still normalises like evaluation");
        assertArrayEquals(before.get("conv1.bn.runningMean"), host.buffers().get("conv1.bn.runningMean").toFloatArray(), 0f);
        assertArrayEquals(before.get("conv1.bn.runningVar"), host.buffers().get("conv1.bn.runningVar").toFloatArray(), 0f);
        assertFalse(java.util.Arrays.equals(before.get("conv2.bn.runningMean"),
                host.buffers().get("conv2.bn.runningMean").toFloatArray()), "the other block learns its statistics");
    }
}
