package io.graft.api.pruning;

import ai.djl.ndarray.NDArray;
import io.graft.api.Plugin;
import io.graft.api.train.TaskContext;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides what capacity to remove. It answers with binary masks; the kernel multiplies the weights by them
 * and keeps pruned weights at zero from then on by masking their gradients. Physical shrinking of layers is
 * a separate step of the kernel.
 */
@ConsumerType
public interface Pruner extends Plugin {

    /**
     * Called at task end after consolidation (or when the pruner's trigger fires).
     *
     * @param task the task in progress
     * @return parameter name to a 0/1 mask of that parameter's shape; parameters not named are untouched
     */
    Map<String, NDArray> prune(TaskContext task);
}
