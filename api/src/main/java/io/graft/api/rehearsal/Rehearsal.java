package io.graft.api.rehearsal;

import io.graft.api.Plugin;
import io.graft.api.model.Batch;
import io.graft.api.train.StepContext;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Mixes remembered (experience replay, DER) or generated (generative replay) samples into each step. The
 * kernel trains on the incoming batch followed by the replayed one; the plugin fills its memory from
 * {@link StepContext#batch()} in {@link #afterStep}.
 */
@ConsumerType
public interface Rehearsal extends Plugin {

    /**
     * Samples to train on beside the incoming batch, before the forward pass.
     *
     * @param step the step in progress; its arrays belong to {@link StepContext#stepManager()}
     * @return a batch with the features' shape of the incoming batch, or {@code null} when memory is empty
     */
    Batch replay(StepContext step);
}
