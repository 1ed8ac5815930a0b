package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
import java.util.function.DoubleSupplier;

/**
 * The host's slot grid and the seeds in it: the lifecycle (through {@link SeedLifecycle}), each seed's alpha, and
 * the seeds' part in every forward pass, with the gradient isolation of reference document 003.
 *
 * <p>Row {@code r} sits after the {@code r}-th hidden layer (on the convolutional host the blocks come first: a
 * slot after a block holds {@link Blueprint.Kind#CONV} seeds on feature maps); {@code columns} slots per row. A slot is keyed by its
 * layer, so it keeps its seed when growth inserts a layer before it (its row number moves with the layer).
 *
 * <h2>A seed in a forward pass</h2>
 * <pre>
 * stage        training pass                                   evaluation pass
 * germinated   not applied                                     not applied
 * training     h unchanged; shadow = h' + s(h') with h' = h     not applied (alpha 0)
 *              detached, finished by the host's later layers
 *              with their weights held constant
 * blending     h + α·s(h')       (interpolative: (1−α)·h + α·s(h'); gated: h + α·g(h')·s(h'))   same, with h
 * integrated   h + s(h)          (gated: h + g(h)·s(h))         same
 * </pre>
 * So the host never receives a gradient through a seed that is not integrated, and a training seed does not
 * change the network's output at all. A seed bound to a task ({@link SeedPlan#task()}) is applied only in passes
 * of that task.
 */
final class SeedSlots implements SlotTap {

    /** Where seed events and alphas go. */
    interface Listener {
        /** @param event a lifecycle move */
        void onSeed(SeedEvent event);

        /**
         * @param step the step
         * @param slot the slot's address
         * @param alpha its alpha during that step
         */
        void onAlpha(long step, String slot, double alpha);
    }

    /** What a forward pass is, as the slots see it. */
    enum Pass {
        /** Evaluation, prediction, gradients of a view: no shadows, nothing detached. */
        EVAL,
        /** The training step's forward: shadows recorded, seed inputs detached. */
        TRAINING,
        /** The shadow path's tail: every seed's parameters held constant. */
        SHADOW
    }

    /** A training seed's activation on its shadow path, for the kernel to finish and score. */
    record Shadow(String layer, String slot, NDArray activation) {
    }

    private final Host host;
    private final int columns;
    private final NDManager manager;
    private final Map<String, BlendSchedule> schedules;
    private final Random random;
    private final Listener listener;
    private final Map<String, Slot> slots = new LinkedHashMap<>();

    private Pass pass = Pass.EVAL;
    private int passTask;
    private final List<Shadow> shadows = new ArrayList<>();
    private Slot forcedOn;
    private Slot forcedOff;
    private DoubleSupplier probe;
    private String actor = "kernel";
    private long step;
    private int task;

    /**
     * @param host the network the slots sit in
     * @param columns slots per row ({@code model.slots})
     * @param manager owner of the seeds' parameters (the run manager)
     * @param schedules the run's blend schedules by plugin id, in plugin order
     * @param random the seeds' initialisation, seeded by the run
     * @param listener where events and alphas go
     */
    SeedSlots(Host host, int columns, NDManager manager, Map<String, BlendSchedule> schedules, Random random,
              Listener listener) {
        this.host = host;
        this.columns = columns;
        this.manager = manager;
        this.schedules = Map.copyOf(schedules);
        this.random = random;
        this.listener = listener;
    }

    /** @param accuracy the probe: accuracy of the network as the slots now are, on the kernel's probe batch */
    void probe(DoubleSupplier accuracy) {
        this.probe = accuracy;
    }

    /** Names the policy and position the next changes are reported under. */
    void actingFor(String plugin, long stepNow, int taskNow) {
        this.actor = plugin;
        this.step = stepNow;
        this.task = taskNow;
    }

    // ---- the grid --------------------------------------------------------------------------------------------

    private List<String> rows() {
        List<String> layers = host.layers();
        return layers.subList(0, layers.size() - 1);
    }

    private Slot slot(String layer, int column) {
        return slots.computeIfAbsent(layer + "#" + column, k -> new Slot(layer, column));
    }

    private Slot at(SlotAddress address) {
        List<String> rows = rows();
        if (columns == 0) {
            throw new IllegalArgumentException("slot " + address + " is outside the grid: this host has no slots; set"
                    + " model.slots to the number of columns per row");
        }
        if (address.row() >= rows.size() || address.column() >= columns) {
            throw new IllegalArgumentException("slot " + address + " is outside the grid: rows r0..r" + (rows.size() - 1)
                    + " (after " + String.join(", ", rows) + "), columns c0..c" + (columns - 1) + " (model.slots: "
                    + columns + ")");
        }
        return slot(rows.get(address.row()), address.column());
    }

    private SlotAddress address(Slot s) {
        return new SlotAddress(Math.max(0, rows().indexOf(s.layer)), s.column);
    }

    /** @return every slot of the grid, row by row */
    List<SlotView> views() {
        List<SlotView> out = new ArrayList<>();
        for (String layer : rows()) {
            for (int c = 0; c < columns; c++) {
                out.add(view(slot(layer, c)));
            }
        }
        return out;
    }

    private SlotView view(Slot s) {
        return new SlotState(address(s), s.layer, host.convolutional(s.layer), s.stage, s.alpha(),
                s.module == null ? 0 : s.module.parameterCount(), s.module == null ? null : s.module.blueprint(),
                s.plan == null ? -1 : s.plan.task(), s.contribution);
    }

    /** @return whether some slot of {@code layer} holds a live seed (its width cannot change under it) */
    boolean occupied(String layer) {
        for (Slot s : slots.values()) {
            if (s.layer.equals(layer) && s.stage.live()) {
                return true;
            }
        }
        return false;
    }

    /** @return the live seeds' parameters, slot by slot */
    @Override
    public List<HostParameter> parameters() {
        List<HostParameter> out = new ArrayList<>();
        for (Slot s : slots.values()) {
            if (s.module != null) {
                out.addAll(s.module.parameters());
            }
        }
        return out;
    }

    /** @return whether some live seed serves one task only (passes then depend on the task) */
    boolean routed() {
        for (Slot s : slots.values()) {
            if (s.module != null && s.plan != null && s.plan.task() >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param taskIndex the task of the step about to run
     * @return whether a seed active in it asks for the host to be frozen (a seed-only step)
     */
    boolean hostIsolated(int taskIndex) {
        for (Slot s : slots.values()) {
            if ((s.stage == SeedStage.TRAINING || s.stage == SeedStage.BLENDING) && s.plan.isolateHost()
                    && s.servesTask(taskIndex)) {
                return true;
            }
        }
        return false;
    }

    // ---- changes ---------------------------------------------------------------------------------------------

    /** Germinates a seed; see {@link io.graft.api.growth.StructureEditor#germinate}. */
    void germinate(SlotAddress address, Blueprint blueprint, SeedPlan plan) {
        Slot s = at(address);
        if (s.stage != SeedStage.DORMANT) {
            throw new IllegalArgumentException("slot " + address + " is " + s.stage.key() + ", not dormant; germinate in"
                    + " a dormant slot (see StructureEditor.slots())");
        }
        BlendSchedule schedule = plan.graftAtOnce() ? null : schedule(plan);
        boolean gated = schedule != null && schedule.mode() == BlendMode.GATED;
        int width = host.width(s.layer);
        long before = host.parameterCount();
        SeedModule module = SeedModule.grow("seed." + address + ".", blueprint, width, host.convolutional(s.layer), gated,
                manager, random);
        s.module = module;
        s.plan = plan;
        s.schedule = schedule;
        s.contribution = Double.NaN;
        s.stageSteps = 0;
        host.seedsChanged();
        move(s, SeedStage.GERMINATED, blueprint + ", " + plan, before);
        if (plan.graftAtOnce()) {
            move(s, SeedStage.INTEGRATED, "branch grafted at once", host.parameterCount());
        }
    }

    private BlendSchedule schedule(SeedPlan plan) {
        if (plan.blend() != null) {
            BlendSchedule b = schedules.get(plan.blend());
            if (b == null) {
                throw new IllegalArgumentException("blend schedule '" + plan.blend() + "' is not in this run's plugins "
                        + (schedules.isEmpty() ? "(none)" : schedules.keySet().toString()) + "; add it to plugins");
            }
            return b;
        }
        if (schedules.size() == 1) {
            return schedules.values().iterator().next();
        }
        if (schedules.isEmpty()) {
            throw new IllegalArgumentException("a seed needs a blend schedule to fade it in: add a blend schedule plugin"
                    + " to plugins (e.g. blend-linear; 'graft plugins' lists them)");
        }
        throw new IllegalArgumentException("this run has several blend schedules " + schedules.keySet()
                + "; the growth policy must name one (its blend setting)");
    }

    /** Removes a seed; see {@link io.graft.api.growth.StructureEditor#cull}. */
    void cull(SlotAddress address, String reason, long embargoSteps, java.util.function.Consumer<List<String>> forget) {
        Slot s = at(address);
        if (!s.stage.live()) {
            throw new IllegalArgumentException("slot " + address + " is " + s.stage.key() + " and holds no seed to cull");
        }
        if (embargoSteps < 0) {
            throw new IllegalArgumentException("the embargo must be >= 0 steps, got " + embargoSteps);
        }
        long before = host.parameterCount();
        List<String> names = s.module.parameters().stream().map(HostParameter::name).toList();
        SeedModule module = s.module;
        s.module = null;
        host.seedsChanged();
        forget.accept(names);
        module.close();
        move(s, SeedStage.PRUNED, reason, before);
        s.embargoUntil = step + embargoSteps;
        move(s, SeedStage.EMBARGOED, "embargo of " + embargoSteps + " steps", host.parameterCount());
        s.plan = null;
        s.schedule = null;
    }

    /** Measures a seed's contribution; see {@link io.graft.api.growth.StructureEditor#contribution}. */
    double contribution(SlotAddress address) {
        Slot s = at(address);
        if (!s.stage.live()) {
            throw new IllegalArgumentException("slot " + address + " is " + s.stage.key() + " and holds no seed");
        }
        return measure(s);
    }

    private double measure(Slot s) {
        if (probe == null) {
            return Double.NaN;
        }
        Pass saved = pass;
        pass = Pass.EVAL;
        try {
            forcedOn = s;
            double with = probe.getAsDouble();
            forcedOn = null;
            forcedOff = s;
            double without = probe.getAsDouble();
            s.contribution = with - without;
            return s.contribution;
        } finally {
            forcedOn = null;
            forcedOff = null;
            pass = saved;
        }
    }

    /** Measures every live seed's contribution (every {@code model.probeEvery} steps and at task ends). */
    void measureAll() {
        for (Slot s : slots.values()) {
            if (s.stage.live() && s.stage != SeedStage.GERMINATED && s.servesTask(task)) {
                measure(s);
            }
        }
    }

    /**
     * Moves the seeds on before a step: embargoes end, germinated seeds start training, trained ones start
     * blending, blended ones are integrated; the alphas of the step are set and reported.
     *
     * @param stepNow the step about to run
     * @param taskIndex its task
     * @param blendFailure turns a schedule's bad alpha into the run's failure, naming the schedule's plugin
     */
    void beginStep(long stepNow, int taskIndex, java.util.function.BiFunction<BlendSchedule, RuntimeException,
            RuntimeException> blendFailure) {
        actingFor("kernel", stepNow, taskIndex);
        for (Slot s : List.copyOf(slots.values())) {
            if (s.stage == SeedStage.EMBARGOED && stepNow >= s.embargoUntil) {
                move(s, SeedStage.DORMANT, "embargo over", host.parameterCount());
            }
            if (!s.servesTask(taskIndex)) {
                continue;
            }
            if (s.stage == SeedStage.GERMINATED) {
                move(s, SeedStage.TRAINING, "training on the host's detached activations", host.parameterCount());
            }
            if (s.stage == SeedStage.TRAINING && s.stageSteps >= s.plan.trainingSteps()) {
                measure(s);
                move(s, SeedStage.BLENDING, "trained " + s.stageSteps + " steps", host.parameterCount());
            }
            if (s.stage == SeedStage.BLENDING) {
                double a;
                boolean done;
                try {
                    a = s.schedule.alpha(s.stageSteps);
                    done = s.schedule.finished(s.stageSteps);
                } catch (RuntimeException e) {
                    throw blendFailure.apply(s.schedule, e);
                }
                if (!(a >= 0 && a <= 1)) {
                    throw blendFailure.apply(s.schedule, new IllegalArgumentException("alpha " + a + " at blend step "
                            + s.stageSteps + " is outside [0, 1]"));
                }
                if (done) {
                    measure(s);
                    s.blendAlpha = 1.0;
                    move(s, SeedStage.INTEGRATED, "blended in over " + s.stageSteps + " steps", host.parameterCount());
                } else {
                    s.blendAlpha = a;
                    listener.onAlpha(stepNow, address(s).toString(), a);
                }
            }
        }
    }

    /** Counts the step for the seeds that took part in it. */
    void endStep(int taskIndex) {
        for (Slot s : slots.values()) {
            if ((s.stage == SeedStage.TRAINING || s.stage == SeedStage.BLENDING) && s.servesTask(taskIndex)) {
                s.stageSteps++;
            }
        }
    }

    private void move(Slot s, SeedStage to, String reason, long before) {
        SeedLifecycle.check(address(s).toString(), s.stage, to);
        SeedStage from = s.stage;
        s.stage = to;
        s.stageSteps = 0;
        if (to == SeedStage.INTEGRATED) {
            s.blendAlpha = 1.0;
        } else if (to != SeedStage.BLENDING) {
            s.blendAlpha = 0.0;
        }
        listener.onSeed(new SeedEvent(step, task, actor, address(s).toString(), s.layer, from, to, reason, before,
                host.parameterCount(), s.contribution, s.alpha()));
    }

    // ---- the forward pass ------------------------------------------------------------------------------------

    /**
     * Sets what the next forward passes are.
     *
     * @param kind the pass
     * @param taskIndex the task whose seeds apply
     */
    void pass(Pass kind, int taskIndex) {
        this.pass = kind;
        this.passTask = taskIndex;
        if (kind == Pass.TRAINING) {
            shadows.clear();
        }
    }

    /** @return the shadows the last training pass recorded (training seeds' activations), to be finished */
    List<Shadow> shadows() {
        return List.copyOf(shadows);
    }

    @Override
    public NDArray at(String layer, NDArray activation) {
        NDArray h = activation;
        for (int c = 0; c < columns; c++) {
            Slot s = slots.get(layer + "#" + c);
            if (s == null || s.module == null || s == forcedOff || !s.servesTask(passTask)) {
                continue;
            }
            if (s == forcedOn) {
                h = combine(s, h, h, 1.0, true);
                continue;
            }
            switch (s.stage) {
                case TRAINING -> {
                    if (pass == Pass.TRAINING) {
                        NDArray detached = h.stopGradient();
                        shadows.add(new Shadow(layer, address(s).toString(), combine(s, detached, detached, 1.0, false)));
                    }
                }
                case BLENDING -> h = combine(s, h, pass == Pass.TRAINING ? h.stopGradient() : h, s.blendAlpha,
                        pass == Pass.SHADOW);
                case INTEGRATED -> h = combine(s, h, h, 1.0, pass == Pass.SHADOW);
                default -> {
                }
            }
        }
        return h;
    }

    /** {@code host + α·s(input)} (interpolative: {@code (1−α)·host + α·s(input)}; gated: {@code × g(input)}). */
    private static NDArray combine(Slot s, NDArray host, NDArray input, double alpha, boolean detachSeed) {
        return combine(s.module, s.mode(), host, input, alpha, detachSeed);
    }

    private static NDArray combine(SeedModule module, BlendMode mode, NDArray host, NDArray input, double alpha,
                                   boolean detachSeed) {
        NDArray out = module.output(input, detachSeed);
        NDArray g = module.gate(input, detachSeed);
        if (g != null) {
            out = out.mul(g);
        }
        if (alpha == 1.0) {
            return mode == BlendMode.INTERPOLATIVE ? out : host.add(out);
        }
        // alpha as an array of the pass's manager: DJL's mul(Number) frees its factor while autograd still holds it
        NDArray a = host.getManager().create((float) alpha);
        if (mode == BlendMode.INTERPOLATIVE) {
            NDArray keep = host.getManager().create((float) (1.0 - alpha));
            return host.mul(keep).add(out.mul(a));
        }
        return host.add(out.mul(a));
    }

    /** A seed as a snapshot keeps it: a copy of its module, blended as it was. */
    private record Frozen(SeedModule module, BlendMode mode, double alpha) {
    }

    @Override
    public SlotTap snapshot(NDManager target) {
        Map<String, Frozen> copies = new LinkedHashMap<>();
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            Slot s = e.getValue();
            if (s.module != null && (s.stage == SeedStage.BLENDING || s.stage == SeedStage.INTEGRATED)) {
                copies.put(e.getKey(), new Frozen(s.module.copy(target, "seed." + address(s) + "."), s.mode(),
                        s.blendAlpha));
            }
        }
        return (layer, activation) -> {
            NDArray h = activation;
            for (int c = 0; c < columns; c++) {
                Frozen f = copies.get(layer + "#" + c);
                if (f != null) {
                    h = combine(f.module(), f.mode(), h, h, f.alpha(), true);
                }
            }
            return h;
        };
    }

    // ---- checkpoints -----------------------------------------------------------------------------------------

    /**
     * Writes every slot that is not dormant and empty: its lifecycle, plan, blueprint and alpha (its module's
     * parameters are saved with the network's).
     *
     * @param out a JSON array to append the slots to
     */
    void save(com.fasterxml.jackson.databind.node.ArrayNode out) {
        for (Slot s : slots.values()) {
            if (s.stage == SeedStage.DORMANT && s.module == null) {
                continue;
            }
            com.fasterxml.jackson.databind.node.ObjectNode n = out.addObject();
            n.put("layer", s.layer);
            n.put("column", s.column);
            n.put("stage", s.stage.name());
            n.put("stageSteps", s.stageSteps);
            n.put("blendAlpha", Double.toString(s.blendAlpha));
            n.put("contribution", Double.toString(s.contribution));
            n.put("embargoUntil", s.embargoUntil);
            if (s.plan != null) {
                n.put("trainingSteps", s.plan.trainingSteps());
                n.put("blend", s.schedule == null ? null : scheduleId(s.schedule));
                n.put("isolateHost", s.plan.isolateHost());
                n.put("task", s.plan.task());
                n.put("graftAtOnce", s.plan.graftAtOnce());
            }
            if (s.module != null) {
                Blueprint b = s.module.blueprint();
                n.put("blueprint", b.kind().key());
                n.put("hidden", b.hidden());
                n.put("zeroInit", b.zeroInit());
                n.put("prefix", s.module.parameters().get(0).name().replaceFirst("(in|out)\\.weight$", ""));
            }
        }
    }

    /**
     * Rebuilds the slots a checkpoint recorded, their modules with the saved values (by parameter name), without
     * events: the moves are in the metrics already.
     *
     * @param saved what {@link #save} wrote
     * @param values the checkpoint's parameter values by name
     */
    void restore(com.fasterxml.jackson.databind.JsonNode saved, Map<String, NDArray> values) {
        for (com.fasterxml.jackson.databind.JsonNode n : saved) {
            Slot s = slot(n.path("layer").asText(), n.path("column").asInt());
            s.stage = SeedStage.valueOf(n.path("stage").asText());
            s.stageSteps = n.path("stageSteps").asLong();
            s.blendAlpha = Double.parseDouble(n.path("blendAlpha").asText());
            s.contribution = Double.parseDouble(n.path("contribution").asText());
            s.embargoUntil = n.path("embargoUntil").asLong();
            if (n.has("trainingSteps")) {
                SeedPlan.Builder b = SeedPlan.builder().trainingSteps(n.path("trainingSteps").asLong())
                        .isolateHost(n.path("isolateHost").asBoolean()).task(n.path("task").asInt());
                if (n.path("graftAtOnce").asBoolean()) {
                    b.graftAtOnce();
                }
                String blend = n.path("blend").isNull() ? null : n.path("blend").asText(null);
                if (blend != null) {
                    b.blend(blend);
                    s.schedule = schedules.get(blend);
                }
                s.plan = b.build();
            }
            if (n.has("blueprint")) {
                Blueprint blueprint = Blueprint.of(n.path("blueprint").asText(), n.path("hidden").asInt())
                        .withZeroInit(n.path("zeroInit").asBoolean());
                boolean gated = s.schedule != null && s.schedule.mode() == BlendMode.GATED;
                String prefix = n.path("prefix").asText();
                // the values are overwritten below: the generator only gives the module its shapes
                SeedModule module = SeedModule.grow(prefix, blueprint, host.width(s.layer), host.convolutional(s.layer),
                        gated, manager, new Random(0));
                for (HostParameter p : module.parameters()) {
                    NDArray v = values.get(p.name());
                    if (v == null || !v.getShape().equals(p.array().getShape())) {
                        throw new IllegalStateException("the checkpoint has no value of shape " + p.array().getShape()
                                + " for " + p.name());
                    }
                    p.array().set(v.toByteBuffer());
                }
                s.module = module;
            }
        }
        host.seedsChanged();
    }

    private String scheduleId(BlendSchedule schedule) {
        for (Map.Entry<String, BlendSchedule> e : schedules.entrySet()) {
            if (e.getValue() == schedule) {
                return e.getKey();
            }
        }
        return null;
    }

    /** One slot's state. */
    private static final class Slot {
        final String layer;
        final int column;
        SeedStage stage = SeedStage.DORMANT;
        SeedModule module;
        SeedPlan plan;
        BlendSchedule schedule;
        long stageSteps;
        double blendAlpha;
        double contribution = Double.NaN;
        long embargoUntil;

        Slot(String layer, int column) {
            this.layer = layer;
            this.column = column;
        }

        double alpha() {
            return stage == SeedStage.BLENDING || stage == SeedStage.INTEGRATED ? blendAlpha : 0.0;
        }

        BlendMode mode() {
            return schedule == null ? BlendMode.RESIDUAL : schedule.mode();
        }

        boolean servesTask(int taskIndex) {
            return plan == null || plan.task() < 0 || plan.task() == taskIndex;
        }
    }
}
