package io.graft.api.growth;

/**
 * How a germinated seed lives: how long it trains on its shadow path before blending, which blend schedule
 * fades it in, whether the host is frozen meanwhile, and which task it serves.
 *
 * <pre>{@code
 * SeedPlan plan = SeedPlan.builder().trainingSteps(300).blend("cosine").isolateHost(true).build();
 * editor.germinate(SlotAddress.parse("r1c0"), Blueprint.residual(32), plan);
 * }</pre>
 * A {@linkplain Builder#graftAtOnce() branch} skips training and blending: it is integrated at once, which
 * preserves the function only because its last layer starts at zero.
 */
public final class SeedPlan {

    private final long trainingSteps;
    private final String blend;
    private final boolean isolateHost;
    private final int task;
    private final boolean graftAtOnce;

    private SeedPlan(Builder b) {
        this.trainingSteps = b.trainingSteps;
        this.blend = b.blend;
        this.isolateHost = b.isolateHost;
        this.task = b.task;
        this.graftAtOnce = b.graftAtOnce;
    }

    /** @return a builder with the defaults: 0 training steps, the run's blend schedule, host not frozen, every task */
    public static Builder builder() {
        return new Builder();
    }

    /** @return steps on the shadow path before blending starts */
    public long trainingSteps() {
        return trainingSteps;
    }

    /** @return the id of the blend schedule plugin, or {@code null} for the run's only one */
    public String blend() {
        return blend;
    }

    /**
     * @return whether every host parameter is frozen (optimizer untouched, BatchNorm in eval mode) while the
     *     seed trains and blends: the steps are then seed-only
     */
    public boolean isolateHost() {
        return isolateHost;
    }

    /**
     * @return the task the seed serves, or -1 for every task: a seed bound to a task is active only in passes of
     *     that task (its training steps, and its test set under task-incremental evaluation)
     */
    public int task() {
        return task;
    }

    /** @return whether the seed skips training and blending and is integrated at once (a zero-initialised branch) */
    public boolean graftAtOnce() {
        return graftAtOnce;
    }

    @Override
    public String toString() {
        return graftAtOnce ? "branch" : "train " + trainingSteps + " steps, blend " + (blend == null ? "(run's)" : blend)
                + (isolateHost ? ", host frozen" : "") + (task >= 0 ? ", task " + task : "");
    }

    /** Builds a {@link SeedPlan}. */
    public static final class Builder {
        private long trainingSteps;
        private String blend;
        private boolean isolateHost;
        private int task = -1;
        private boolean graftAtOnce;

        private Builder() {
        }

        /**
         * @param steps steps on the shadow path before blending, at least 0
         * @return this
         */
        public Builder trainingSteps(long steps) {
            if (steps < 0) {
                throw new IllegalArgumentException("training steps must be >= 0, got " + steps);
            }
            this.trainingSteps = steps;
            return this;
        }

        /**
         * @param scheduleId the id of a blend schedule plugin of the run
         * @return this
         */
        public Builder blend(String scheduleId) {
            this.blend = scheduleId;
            return this;
        }

        /**
         * @param frozen whether the host is frozen while the seed trains and blends
         * @return this
         */
        public Builder isolateHost(boolean frozen) {
            this.isolateHost = frozen;
            return this;
        }

        /**
         * @param index the task the seed serves, or -1 for every task
         * @return this
         */
        public Builder task(int index) {
            if (index < -1) {
                throw new IllegalArgumentException("task must be -1 (every task) or a task index, got " + index);
            }
            this.task = index;
            return this;
        }

        /** @return this, for a branch integrated at once (no training stage, no blending) */
        public Builder graftAtOnce() {
            this.graftAtOnce = true;
            return this;
        }

        /** @return the plan */
        public SeedPlan build() {
            return new SeedPlan(this);
        }
    }
}
