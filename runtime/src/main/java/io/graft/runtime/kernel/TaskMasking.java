package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.graft.api.masking.MaskQuery;
import io.graft.api.masking.TaskMask;
import io.graft.api.model.TaskInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the run's {@link TaskMask} plugins for the masks of one forward pass and checks what they return:
 * the shape must match; the mask itself is left where the plugin put it (an array it keeps, or one in the
 * pass's manager); in evaluation everything else created during the call is closed when it returns, in training
 * it is left to its manager (backward may still read it). Several plugins' masks multiply. A plugin that throws
 * or returns a wrong shape fails the run with a {@link PluginFailure} naming it.
 */
final class TaskMasking {

    /** A masking plugin with its id, for failures. */
    record Masker(String id, TaskMask plugin) {}

    private final List<Masker> maskers;
    private final KernelState state;

    TaskMasking(List<Masker> maskers, KernelState state) {
        this.maskers = List.copyOf(maskers);
        this.state = state;
    }

    /** @return true when no plugin masks (the forward pass then asks nothing) */
    boolean isEmpty() {
        return maskers.isEmpty();
    }

    /**
     * @param task the task whose masks are wanted
     * @param training inside a training step
     * @param manager owner of the masks (the step's or the evaluation batch's)
     * @return the masks of one pass
     */
    ForwardMasks forPass(TaskInfo task, boolean training, NDManager manager) {
        if (maskers.isEmpty()) {
            return ForwardMasks.NONE;
        }
        long stepInTask = training ? state.stepInTask : -1;
        long taskSteps = training ? state.taskSteps : -1;
        MaskQuery query = new Query(task, training, stepInTask, taskSteps, manager);
        return new ForwardMasks() {
            @Override
            public NDArray weight(HostParameter parameter) {
                return combine("weightMask", parameter.array().getShape(), manager, training,
                        m -> m.weightMask(parameter, query));
            }

            @Override
            public NDArray units(String layer, int width) {
                return combine("unitMask", new Shape(width), manager, training,
                        m -> m.unitMask(layer, width, query));
            }
        };
    }

    private NDArray combine(String hook, Shape shape, NDManager manager, boolean training,
                            java.util.function.Function<TaskMask, NDArray> ask) {
        NDArray result = null;
        for (Masker m : maskers) {
            // evaluation: everything the call creates but the mask is closed when it returns; training: nothing is
            // closed early, since backward may still read a temporary (a slope a gate was scaled by)
            NDScope scope = training ? null : new NDScope();
            try {
                NDArray mask;
                try {
                    mask = ask.apply(m.plugin());
                } catch (RuntimeException | LinkageError e) {
                    throw failure(m, hook, e);
                }
                if (mask == null) {
                    continue;
                }
                if (!mask.getShape().equals(shape)) {
                    throw failure(m, hook, new IllegalArgumentException("the mask has shape " + mask.getShape()
                            + ", expected " + shape));
                }
                // a mask the plugin keeps stays its own; one it computed was created in manager (TaskMask's contract)
                NDScope.unregister(mask);
                if (result != null) {
                    NDArray product = result.mul(mask);
                    NDScope.unregister(product);
                    product.attach(manager);
                    result = product;
                } else {
                    result = mask;
                }
            } finally {
                if (scope != null) {
                    scope.close();
                }
            }
        }
        return result;
    }

    private PluginFailure failure(Masker m, String hook, Throwable cause) {
        return new PluginFailure(m.id(), hook, state.taskIndex, state.inStep ? state.step : -1, cause);
    }

    private record Query(TaskInfo task, boolean training, long stepInTask, long taskSteps, NDManager manager)
            implements MaskQuery {
    }

}
