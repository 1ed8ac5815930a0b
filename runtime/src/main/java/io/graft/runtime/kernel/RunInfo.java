package io.graft.runtime.kernel;

import io.graft.api.Protocol;
import io.graft.api.model.TaskInfo;
import java.util.List;

/**
 * What a run is about to do, handed to {@link KernelListener#onRunStart}.
 *
 * @param tasks the tasks, in training order
 * @param protocols the protocols evaluated
 * @param plugins the active plugins as {@code id@version}, in hook order
 * @param parameterCount scalar weights of the host network
 * @param device the training device, e.g. {@code cpu()} or {@code gpu(0)}
 * @param seed the run's seed
 * @param epochs passes over each task's data
 * @param batchSize incoming samples per step
 * @param totalSteps training steps of the whole run
 */
public record RunInfo(List<TaskInfo> tasks, List<Protocol> protocols, List<String> plugins, long parameterCount,
                      String device, long seed, int epochs, int batchSize, long totalSteps) {

    /** Copies the lists. */
    public RunInfo {
        tasks = List.copyOf(tasks);
        protocols = List.copyOf(protocols);
        plugins = List.copyOf(plugins);
    }
}
