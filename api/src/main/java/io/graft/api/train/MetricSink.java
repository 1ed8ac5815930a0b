package io.graft.api.train;

import org.osgi.annotation.versioning.ProviderType;

/** Where a plugin records its own measurements (a penalty's size, a buffer's fill); they land in the run's metrics under the plugin's id. */
@ProviderType
public interface MetricSink {

    /**
     * @param name metric name, e.g. {@code penalty}
     * @param value the value at the current step
     */
    void record(String name, double value);
}
