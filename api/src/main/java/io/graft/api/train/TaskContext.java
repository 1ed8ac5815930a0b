package io.graft.api.train;

import io.graft.api.model.TaskInfo;
import org.osgi.annotation.versioning.ProviderType;

/** A task as a plugin sees it at the task hooks. */
@ProviderType
public interface TaskContext extends RunContext {

    /** @return the current task */
    TaskInfo task();

    /** @return the current task's training data */
    TaskData data();
}
