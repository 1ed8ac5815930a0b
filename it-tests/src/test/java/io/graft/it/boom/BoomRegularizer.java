package io.graft.it.boom;

import ai.djl.ndarray.NDArray;
import io.graft.api.regularization.Regularizer;
import io.graft.api.train.StepContext;

/** Adds nothing to the loss until step {@code failAfter}, then throws (or returns NaN, or hangs). */
final class BoomRegularizer implements Regularizer {

    private final int failAfter;
    private final String mode;

    BoomRegularizer(int failAfter, String mode) {
        this.failAfter = failAfter;
        this.mode = mode;
    }

    @Override
    public NDArray penalty(StepContext step) {
        if (step.step() >= failAfter) {
            switch (mode) {
                case "nan" -> {
                    return step.stepManager().create(Float.NaN);
                }
                case "hang" -> {
                    while (true) {
                        try {
                            Thread.sleep(1000);
                        } catch (InterruptedException e) {
                            // a hung plugin ignores interruption too
                        }
                    }
                }
                default -> throw new IllegalStateException("boom at step " + step.step());
            }
        }
        return null;
    }
}
