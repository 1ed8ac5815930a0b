package io.graft.runtime.felix.testplugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.config.PluginConfig;
import java.util.Map;

/**
 * A plugin factory packed into test bundles by {@code TestBundles}: a Declarative Services component whose
 * plugin id comes from the component property {@code graft.test.id}. With {@code graft.test.fail} set its
 * activation throws; with {@code graft.test.djl} set it computes a sum with DJL (through the host's engine)
 * and puts it in its description. Loaded by the bundle's class loader, never used directly by the tests.
 */
public class FakePluginFactory implements PluginFactory {

    private String id = "fake";
    private String description = "a test plugin";

    /** @param props the component properties */
    public void activate(Map<String, Object> props) {
        Object v = props.get("graft.test.id");
        if (v != null) {
            id = v.toString();
        }
        if (props.get("graft.test.fail") != null) {
            throw new IllegalStateException("boom from " + id);
        }
        if (props.get("graft.test.djl") != null) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray ones = m.ones(new ai.djl.ndarray.types.Shape(2, 3));
                description = "sum=" + ones.sum().getFloat();
            }
        }
    }

    @Override
    public PluginDescriptor descriptor() {
        return PluginDescriptor.builder(id).name("Fake " + id).description(description)
                .contracts(Contract.REGULARIZER).build();
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new Plugin() {};
    }
}
