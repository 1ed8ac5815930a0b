package io.graft.plugin.triggers;

import io.graft.api.StateReader;
import io.graft.api.StateWriter;

/**
 * Decides, one training loss at a time, whether the smoothed loss has stopped improving.
 *
 * <p>Each loss first feeds an exponential moving average. Once the warmup is over, the average is compared
 * with the best average seen in the task: an improvement by more than the threshold makes it the new best,
 * anything else is a stalled step, and {@code patience} stalled steps in a row are a plateau. Firing starts
 * the cooldown, during which the best is still tracked but stalled steps are not counted; the best itself is
 * kept, so after growth the loss has to beat the level it stalled at, not the level it reached since.
 */
final class PlateauDetector {

    private final PlateauSettings settings;

    /** Losses observed since the run started or the last task ended. */
    private long seen;
    /** The moving average; meaningful once {@code seen > 0}. */
    private double smoothed;
    /** The lowest moving average of the task; meaningful once {@code seen > warmup}. */
    private double best;
    /** Checked steps in a row without improvement, outside the cooldown. */
    private long stalled;
    /** Steps of cooldown still to run; survives a task boundary. */
    private long cooldownLeft;

    PlateauDetector(PlateauSettings settings) {
        this.settings = settings;
    }

    /**
     * Takes the loss of one training step.
     *
     * @param loss the step's training loss
     * @return whether this step completes a plateau
     * @throws IllegalArgumentException for a NaN or infinite loss, which would poison the average for good
     */
    boolean observe(double loss) {
        if (!Double.isFinite(loss)) {
            throw new IllegalArgumentException("plateau trigger got a training loss of " + loss
                    + "; the kernel must stop a run on a non-finite loss before calling triggers");
        }
        smoothed = seen == 0 ? loss : settings.smoothing() * smoothed + (1 - settings.smoothing()) * loss;
        seen++;
        if (seen <= settings.warmup()) {
            return false;
        }
        if (seen == settings.warmup() + 1
                || settings.thresholdMode().improves(smoothed, best, settings.threshold())) {
            best = smoothed;
            stalled = 0;
        } else {
            stalled++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            stalled = 0;
            return false;
        }
        if (stalled >= settings.patience()) {
            stalled = 0;
            cooldownLeft = settings.cooldown();
            return true;
        }
        return false;
    }

    /**
     * Starts the search afresh for a new task: its loss is not comparable with the last task's best, so the
     * average, the best, the stalled count and the warmup all restart. A cooldown still running goes on.
     */
    void startTask() {
        seen = 0;
        smoothed = 0;
        best = 0;
        stalled = 0;
    }

    /** @return the moving average of the loss, 0 before the first loss of the task */
    double smoothed() {
        return smoothed;
    }

    void save(StateWriter out) {
        out.putLong("seen", seen);
        out.putDouble("smoothed", smoothed);
        out.putDouble("best", best);
        out.putLong("stalled", stalled);
        out.putLong("cooldownLeft", cooldownLeft);
    }

    void restore(StateReader in) {
        seen = in.getLong("seen");
        smoothed = in.getDouble("smoothed");
        best = in.getDouble("best");
        stalled = in.getLong("stalled");
        cooldownLeft = in.getLong("cooldownLeft");
    }
}
