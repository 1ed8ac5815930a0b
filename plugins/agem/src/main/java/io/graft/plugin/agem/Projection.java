package io.graft.plugin.agem;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.graft.plugin.support.GradientVectors;
import java.util.List;

/**
 * The A-GEM projection of a gradient split over several parameters, all of them taken as one flat vector:
 * if {@code g·r < 0}, {@code g ← g − (g·r / r·r)·r}, so that afterwards {@code g·r = 0}; otherwise
 * {@code g} is left alone.
 */
final class Projection {

    /**
     * What one projection saw.
     *
     * @param dot {@code g·r} before the projection
     * @param referenceNorm {@code r·r}
     * @param projected whether {@code g} was changed
     */
    record Outcome(double dot, double referenceNorm, boolean projected) {}

    private Projection() {}

    /**
     * @param gradients the parts of {@code g}, edited in place when projected
     * @param references the parts of {@code r}, same shapes in the same order
     * @param manager owner of the temporaries
     * @return the dot products and whether {@code g} was projected
     */
    static Outcome project(List<NDArray> gradients, List<NDArray> references, NDManager manager) {
        if (gradients.size() != references.size()) {
            throw new IllegalArgumentException(gradients.size() + " gradients but " + references.size() + " references");
        }
        for (int i = 0; i < gradients.size(); i++) {
            NDArray g = gradients.get(i);
            NDArray r = references.get(i);
            if (!g.getShape().equals(r.getShape())) {
                throw new IllegalArgumentException("gradient of shape " + g.getShape() + " but reference of shape "
                        + r.getShape());
            }
        }
        NDArray dot = GradientVectors.dot(gradients, references, manager);
        NDArray norm = GradientVectors.dot(references, references, manager);
        if (dot == null) {
            return new Outcome(0, 0, false);
        }
        NDArray both = NDArrays.stack(new NDList(dot, norm)); // one read-back, one device sync
        both.attach(manager);
        float[] values = both.toType(DataType.FLOAT32, false).toFloatArray();
        double gr = values[0];
        double rr = values[1];
        if (!(gr < 0) || !(rr > 0)) {
            return new Outcome(gr, rr, false);
        }
        float factor = (float) (gr / rr);
        GradientVectors.axpy(-factor, references, gradients, manager);
        return new Outcome(gr, rr, true);
    }
}
