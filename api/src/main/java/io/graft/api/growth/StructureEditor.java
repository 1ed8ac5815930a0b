package io.graft.api.growth;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The changes to the network's shape that the kernel offers a {@link GrowthPolicy}. The kernel applies
 * each change safely (function-preserving initialisation, new parameters added to the optimizer with zero
 * state, old ones keeping theirs) and records it as an event. Operations arrive with the hosts that support
 * them, as minor versions of this package.
 */
@ProviderType
public interface StructureEditor {

    /** @return the names of the network's layers, input to output, e.g. {@code fc1, fc2, out} */
    List<String> layers();

    /**
     * @param layer a layer name
     * @return its output width (neurons or channels)
     * @throws IllegalArgumentException for an unknown layer
     */
    int width(String layer);

    /** @return the number of scalar weights now */
    long parameterCount();
}
