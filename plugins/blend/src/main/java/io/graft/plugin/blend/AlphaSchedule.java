package io.graft.plugin.blend;

import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.growth.BlendMode;
import io.graft.api.growth.BlendSchedule;
import java.util.Locale;

/**
 * A blend schedule: alpha follows a {@link BlendCurve} from {@code from} to {@code to} over a fixed number of
 * steps, exactly {@code from} at step 0, exactly {@code to} from the last step on, never decreasing.
 *
 * <p>Alpha is a function of the steps since the blend began and the configuration alone. The count of steps
 * belongs to the kernel (it knows when each slot started blending, and several slots may blend at once with one
 * schedule), so the kernel's checkpoint restores the series. What this plugin checkpoints is the schedule
 * itself: a run resumed with a different schedule would make alpha jump in the middle of a blend, the one
 * thing blending exists to prevent, so {@link #restoreState} refuses it.
 */
final class AlphaSchedule implements BlendSchedule, Stateful {

    static final String SCHEDULE_KEY = "schedule";

    private final BlendSettings settings;
    private final BlendCurve curve;

    /**
     * @param settings duration, endpoints and mode
     * @param curve the shape between the endpoints
     */
    AlphaSchedule(BlendSettings settings, BlendCurve curve) {
        this.settings = settings;
        this.curve = curve;
    }

    @Override
    public double alpha(long stepsSinceStart) {
        if (stepsSinceStart < 0) {
            throw new IllegalArgumentException("steps since the blend began must be >= 0, got " + stepsSinceStart);
        }
        if (stepsSinceStart == 0) {
            return settings.from();
        }
        if (stepsSinceStart >= settings.steps()) {
            return settings.to();
        }
        double progress = (double) stepsSinceStart / settings.steps();
        double alpha = settings.from() + (settings.to() - settings.from()) * curve.at(progress);
        // to − from is rounded, so the last steps could overshoot 'to' by an ulp and then fall back to it
        return Math.min(settings.to(), Math.max(settings.from(), alpha));
    }

    @Override
    public boolean finished(long stepsSinceStart) {
        return stepsSinceStart >= settings.steps();
    }

    @Override
    public BlendMode mode() {
        return settings.mode();
    }

    @Override
    public void saveState(StateWriter out) {
        out.putString(SCHEDULE_KEY, describe());
    }

    @Override
    public void restoreState(StateReader in) {
        String saved = in.getString(SCHEDULE_KEY);
        if (!saved.equals(describe())) {
            throw new IllegalStateException("the checkpoint blends with " + saved + " but this run is configured with "
                    + describe() + "; alpha would jump mid-blend: resume with the checkpoint's blend config");
        }
    }

    /** @return the whole schedule in words, e.g. {@code cosine from 0.0 to 1.0 over 500 steps, residual} */
    String describe() {
        return curve.describe() + " from " + settings.from() + " to " + settings.to() + " over " + settings.steps()
                + " steps, " + settings.mode().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return describe();
    }
}
