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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The slot grid, the seed lifecycle and the seeds' part in the forward pass, on real DJL arrays. */
class SeedSlotsTest {

    private NDManager manager;
    private final List<SeedEvent> events = new ArrayList<>();
    private final List<Double> alphas = new ArrayList<>();

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** A schedule moving alpha linearly to 1 over {@code steps}, in the given mode. */
    record Ramp(long steps, BlendMode mode) implements BlendSchedule {
        @Override
        public double alpha(long s) {
            return Math.min(1.0, (double) s / steps);
        }

        @Override
        public boolean finished(long s) {
            return s >= steps;
        }
    }

    private SeedSlots slots(MlpHost host, int columns, BlendSchedule schedule) {
        Map<String, BlendSchedule> schedules = new LinkedHashMap<>();
        if (schedule != null) {
            schedules.put("ramp", schedule);
        }
        SeedSlots s = new SeedSlots(host, columns, manager, schedules, new Random(3), new SeedSlots.Listener() {
            @Override
            public void onSeed(SeedEvent event) {
                events.add(event);
            }

            @Override
            public void onAlpha(long step, String slot, double alpha) {
                alphas.add(alpha);
            }
        });
        host.slotTap(s);
        return s;
    }

    private static float[] logits(MlpHost host, NDArray x) {
        try (NDManager pass = x.getManager().newSubManager()) {
            NDArray in = x.duplicate();
            in.attach(pass);
            return host.forward(in).toFloatArray();
        }
    }

    @Test
    void germinationLeavesTheFunctionUnchangedOverRandomShapes() {
        Random shapes = new Random(11);
        for (int trial = 0; trial < 25; trial++) {
            int inputs = 2 + shapes.nextInt(20);
            List<Integer> hidden = new ArrayList<>();
            int depth = 1 + shapes.nextInt(3);
            for (int l = 0; l < depth; l++) {
                hidden.add(1 + shapes.nextInt(24));
            }
            MlpHost host = new MlpHost(manager, inputs, hidden, 2 + shapes.nextInt(8), trial);
            SeedSlots seeds = slots(host, 2, new Ramp(10, BlendMode.values()[trial % 3]));
            NDArray x = manager.randomNormal(new Shape(16, inputs));
            float[] before = logits(host, x);
            int row = shapes.nextInt(depth);
            // a zero-initialised branch is integrated at once (alpha 1): its output is exactly zero
            Blueprint branch = trial % 2 == 0 ? Blueprint.residual(1 + shapes.nextInt(8)) : Blueprint.linear();
            seeds.germinate(new SlotAddress(row, 0), branch, SeedPlan.builder().graftAtOnce().build());
            // a randomly initialised seed that is germinated (alpha 0) changes nothing in eval mode either
            seeds.germinate(new SlotAddress(row, 1), Blueprint.residual(4).withZeroInit(false),
                    SeedPlan.builder().trainingSteps(5).build());
            assertArrayEquals(before, logits(host, x), 1e-6f, "shape " + inputs + " " + hidden + ", row " + row);
            seeds.beginStep(0, 0, (b, e) -> e);   // the random seed starts training: still alpha 0 in eval
            assertEquals(SeedStage.TRAINING, seeds.views().get(2 * row + 1).stage());
            assertArrayEquals(before, logits(host, x), 1e-6f, "training seed, shape " + inputs + " " + hidden);
        }
    }

    @Test
    void residualInterpolativeAndGatedBlendsComputeWhatTheySay() {
        MlpHost plain = new MlpHost(manager, 3, List.of(4), 2, 9);
        NDArray x = manager.randomNormal(new Shape(5, 3));
        for (BlendMode mode : BlendMode.values()) {
            MlpHost host = new MlpHost(manager, 3, List.of(4), 2, 9);
            SeedSlots seeds = slots(host, 1, new Ramp(4, mode));
            seeds.germinate(new SlotAddress(0, 0), Blueprint.linear().withZeroInit(false),
                    SeedPlan.builder().trainingSteps(0).build());
            seeds.beginStep(0, 0, (b, e) -> e);
            seeds.endStep(0);
            seeds.beginStep(1, 0, (b, e) -> e);   // blend step 1 of 4: alpha 0.25
            assertEquals(0.25, seeds.views().get(0).alpha(), 1e-12);
            // by hand: h = relu(fc1(x)); s = W h + b; mixed as the mode says; then the head
            NDArray h = ai.djl.nn.Activation.relu(ai.djl.nn.core.Linear.linear(x, host.weight(0), host.bias(0))
                    .singletonOrThrow());
            HostParameter w = host.parameter("seed.r0c0.out.weight");
            HostParameter b = host.parameter("seed.r0c0.out.bias");
            NDArray s = ai.djl.nn.core.Linear.linear(h, w.array(), b.array()).singletonOrThrow();
            NDArray mixed = switch (mode) {
                case RESIDUAL -> h.add(s.mul(0.25f));
                case INTERPOLATIVE -> h.mul(0.75f).add(s.mul(0.25f));
                // the gate starts at sigma(0) = 1/2
                case GATED -> h.add(s.mul(0.25f * 0.5f));
            };
            float[] expected = ai.djl.nn.core.Linear.linear(mixed, host.weight(1), host.bias(1)).singletonOrThrow()
                    .toFloatArray();
            assertArrayEquals(expected, logits(host, x), 1e-5f, mode.name());
            assertEquals(mode == BlendMode.GATED, host.parameters().stream()
                    .anyMatch(p -> p.name().equals("seed.r0c0.gate.weight")), mode.name());
        }
        plain.toString();
    }

    @Test
    void theLifecycleFollowsItsTableAndEmbargoesCulledSlots() {
        MlpHost host = new MlpHost(manager, 4, List.of(6, 5), 3, 1);
        Sgd sgd = new Sgd(0.1, 0.9, manager);
        HostGrowth editor = new HostGrowth(host, sgd, new LinkedHashMap<>(), new Random(1), e -> { });
        SeedSlots seeds = slots(host, 1, new Ramp(2, BlendMode.RESIDUAL));
        editor.seeds(seeds);
        long hostWeights = host.parameterCount();
        SlotAddress r1 = SlotAddress.parse("r1c0");
        editor.germinate(r1, Blueprint.residual(3), SeedPlan.builder().trainingSteps(2).build());
        assertEquals(hostWeights + 5 * 3 + 3 + 3 * 5 + 5, host.parameterCount());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> editor.germinate(r1, Blueprint.linear(), SeedPlan.builder().build()));
        assertEquals("slot r1c0 is germinated, not dormant; germinate in a dormant slot (see StructureEditor.slots())",
                twice.getMessage());
        IllegalArgumentException widen = assertThrows(IllegalArgumentException.class, () -> editor.widen("fc2", 8, 0));
        assertTrue(widen.getMessage().contains("has a seed in one of its slots"), widen.getMessage());
        long step = 0;
        for (; step < 6; step++) {
            seeds.beginStep(step, 0, (b, e) -> e);
            seeds.endStep(0);
        }
        assertEquals(List.of("dormant>germinated", "germinated>training", "training>blending", "blending>integrated"),
                events.stream().map(e -> e.from().key() + ">" + e.to().key()).toList());
        assertEquals(List.of(0.0, 0.5), alphas, "alpha reported at every blending step");
        editor.actingFor("cull", step, 0);
        editor.cull(r1, "contribution -0.02 below 0", 3);
        assertEquals(hostWeights, host.parameterCount(), "the seed's parameters are gone");
        assertEquals(SeedStage.EMBARGOED, seeds.views().get(1).stage());
        IllegalArgumentException embargoed = assertThrows(IllegalArgumentException.class,
                () -> editor.germinate(r1, Blueprint.linear(), SeedPlan.builder().build()));
        assertTrue(embargoed.getMessage().startsWith("slot r1c0 is embargoed"), embargoed.getMessage());
        seeds.beginStep(step + 2, 0, (b, e) -> e);
        assertEquals(SeedStage.EMBARGOED, seeds.views().get(1).stage());
        seeds.beginStep(step + 3, 0, (b, e) -> e);
        assertEquals(SeedStage.DORMANT, seeds.views().get(1).stage(), "dormant again after the embargo");
        SeedEvent pruned = events.get(4);
        assertEquals("integrated>pruned", pruned.from().key() + ">" + pruned.to().key());
        assertEquals("contribution -0.02 below 0", pruned.reason());
        assertEquals("cull", pruned.plugin());
        assertTrue(pruned.parametersAfter() < pruned.parametersBefore());

        IllegalStateException illegal = assertThrows(IllegalStateException.class,
                () -> SeedLifecycle.check("r0c0", SeedStage.DORMANT, SeedStage.BLENDING));
        assertEquals("slot r0c0: a seed cannot go from dormant to blending; from dormant it may go to germinated",
                illegal.getMessage());
        assertFalse(SeedLifecycle.legal(SeedStage.INTEGRATED, SeedStage.TRAINING));
        assertTrue(SeedLifecycle.legal(SeedStage.EMBARGOED, SeedStage.DORMANT));
    }

    @Test
    void addressesOutsideTheGridAndBlueprintsThatDoNotFitAreRefused() {
        MlpHost host = new MlpHost(manager, 4, List.of(6, 5), 3, 1);
        SeedSlots seeds = slots(host, 2, new Ramp(2, BlendMode.RESIDUAL));
        IllegalArgumentException row = assertThrows(IllegalArgumentException.class,
                () -> seeds.germinate(new SlotAddress(2, 0), Blueprint.linear(), SeedPlan.builder().build()));
        assertEquals("slot r2c0 is outside the grid: rows r0..r1 (after fc1, fc2), columns c0..c1 (model.slots: 2)",
                row.getMessage());
        IllegalArgumentException conv = assertThrows(IllegalArgumentException.class,
                () -> seeds.germinate(new SlotAddress(0, 1), Blueprint.conv(4), SeedPlan.builder().build()));
        assertEquals("blueprint conv(4) does not fit slot r0c1, which follows a dense layer of 6 units; use residual or"
                + " linear", conv.getMessage());
        List<SlotView> grid = seeds.views();
        assertEquals(4, grid.size());
        assertTrue(grid.stream().allMatch(s -> s.stage() == SeedStage.DORMANT && Double.isNaN(s.contribution())));
        SeedSlots none = slots(new MlpHost(manager, 4, List.of(6), 3, 1), 2, null);
        IllegalArgumentException noSchedule = assertThrows(IllegalArgumentException.class,
                () -> none.germinate(new SlotAddress(0, 0), Blueprint.linear(), SeedPlan.builder().build()));
        assertTrue(noSchedule.getMessage().startsWith("a seed needs a blend schedule"), noSchedule.getMessage());
    }

    @Test
    void germinationKeepsTheOptimizerStateOfTheHostAndStartsTheSeedAtZero() {
        MlpHost host = new MlpHost(manager, 4, List.of(6), 3, 1);
        Sgd sgd = new Sgd(0.1, 0.9, manager);
        for (HostParameter p : host.hostParameters()) {
            sgd.update(p.name(), p.array(), manager.randomNormal(p.array().getShape()));
        }
        Map<String, float[]> before = new LinkedHashMap<>();
        sgd.state().forEach((k, v) -> before.put(k, v.toFloatArray()));
        HostGrowth editor = new HostGrowth(host, sgd, new LinkedHashMap<>(), new Random(1), e -> { });
        editor.seeds(slots(host, 1, new Ramp(2, BlendMode.RESIDUAL)));
        editor.germinate(new SlotAddress(0, 0), Blueprint.residual(2), SeedPlan.builder().build());
        for (Map.Entry<String, float[]> e : before.entrySet()) {
            assertArrayEquals(e.getValue(), sgd.state().get(e.getKey()).toFloatArray(), 0f, e.getKey());
        }
        assertEquals(before.keySet(), sgd.state().keySet(), "no state for the seed until its first update");
        assertTrue(host.parameters().stream().anyMatch(p -> p.name().equals("seed.r0c0.in.weight")));
    }
}
