package io.graft.it.boom;

import ai.djl.ndarray.NDArray;
import io.graft.api.regularization.Regularizer;
import io.graft.api.train.StepContext;

/** Adds nothing to the loss until step {@code failAfter}, then throws. */
final class BoomRegularizer implements Regularizer {

    private final int failAfter;

    BoomRegularizer(int failAfter) {
        this.failAfter = failAfter;
    }

    @Override
    public NDArray penalty(StepContext step) {
        if (step.step() >= failAfter) {
            throw new IllegalStateException("boom at step " + step.step());
        }
        return null;
    }
}
