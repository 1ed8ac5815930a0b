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
 * @param resumedAt the step a resumed run goes on from, or -1 for a run from the start
 */
public record RunInfo(List<TaskInfo> tasks, List<Protocol> protocols, List<String> plugins, long parameterCount,
                      String device, long seed, int epochs, int batchSize, long totalSteps, long resumedAt) {

    /**
     * A run from the start.
     *
     * @param tasks the tasks
     * @param protocols the protocols
     * @param plugins the plugins as {@code id@version}
     * @param parameterCount scalar weights
     * @param device the device
     * @param seed the seed
     * @param epochs passes over each task
     * @param batchSize samples per step
     * @param totalSteps steps of the whole run
     */
    public RunInfo(List<TaskInfo> tasks, List<Protocol> protocols, List<String> plugins, long parameterCount,
                   String device, long seed, int epochs, int batchSize, long totalSteps) {
        this(tasks, protocols, plugins, parameterCount, device, seed, epochs, batchSize, totalSteps, -1);
    }

    /** Copies the lists. */
    public RunInfo {
        tasks = List.copyOf(tasks);
        protocols = List.copyOf(protocols);
        plugins = List.copyOf(plugins);
    }
}
