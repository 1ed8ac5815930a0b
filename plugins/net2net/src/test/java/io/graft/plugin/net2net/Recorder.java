package io.graft.plugin.net2net;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.graft.api.train.MetricSink;
import io.graft.api.train.TaskContext;
import java.util.ArrayList;
import java.util.List;

/** A metric sink that keeps what was recorded, in order, and a task context that hands it out. */
final class Recorder implements MetricSink {

    final List<String> records = new ArrayList<>();

    @Override
    public void record(String name, double value) {
        records.add(name + "=" + (value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value)));
    }

    TaskContext task() {
        TaskContext task = mock(TaskContext.class);
        when(task.metrics()).thenReturn(this);
        return task;
    }
}
