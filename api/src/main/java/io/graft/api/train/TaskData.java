package io.graft.api.train;

import ai.djl.ndarray.NDManager;
import io.graft.api.model.Batch;
import org.osgi.annotation.versioning.ProviderType;

/** Random access to the training samples of one task (EWC samples it for its Fisher). */
@ProviderType
public interface TaskData {

    /** @return the number of samples */
    int size();

    /**
     * @param indices sample indices in {@code [0, size())}
     * @param manager owner of the batch's arrays
     * @return those samples as a batch, on the training device
     */
    Batch batch(int[] indices, NDManager manager);
}
