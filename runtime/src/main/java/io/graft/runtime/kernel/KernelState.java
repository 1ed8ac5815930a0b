package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.graft.api.Protocol;
import io.graft.api.model.Batch;
import io.graft.api.model.TaskInfo;
import io.graft.runtime.scenario.SampleSet;
import java.util.List;

/** The mutable position of a run, shared by every plugin's context. Training thread only. */
final class KernelState {

    final Host host;
    final NDManager runManager;
    final List<TaskInfo> tasks;
    final List<Protocol> protocols;
    final long seed;

    int taskIndex = -1;
    SampleSet taskData;
    long step;
    long stepInTask;
    /** Training steps of the task in progress (epochs × batches). */
    long taskSteps = -1;
    int epoch;
    boolean inStep;
    Batch batch;
    NDManager stepManager;
    double loss = Double.NaN;
    private NDArray logits;
    private NDArray outputs;
    private int incomingRows;
    private NDArray detached;

    KernelState(Host host, NDManager runManager, List<TaskInfo> tasks, List<Protocol> protocols, long seed) {
        this.host = host;
        this.runManager = runManager;
        this.tasks = tasks;
        this.protocols = protocols;
        this.seed = seed;
    }

    void beginStep(NDManager manager, int epoch, long stepInTask) {
        this.inStep = true;
        this.stepManager = manager;
        this.epoch = epoch;
        this.stepInTask = stepInTask;
        this.batch = null;
        this.loss = Double.NaN;
        this.logits = null;
        this.outputs = null;
        this.detached = null;
    }

    /** The live logits of every row, from the forward pass until the loss is complete. */
    void forwarding(NDArray live) {
        this.outputs = live;
    }

    NDArray outputs() {
        if (outputs == null) {
            throw new IllegalStateException("outputs() are available during the forward pass and Regularizer.penalty");
        }
        return outputs;
    }

    void forwardDone(NDArray combinedLogits, int incoming, double lossValue) {
        this.outputs = null;
        this.logits = combinedLogits;
        this.incomingRows = incoming;
        this.loss = lossValue;
    }

    void endStep(boolean completed) {
        inStep = false;
        stepManager = null;
        batch = null;
        logits = null;
        outputs = null;
        detached = null;
        loss = Double.NaN;
        if (completed) {
            step++;
            stepInTask++;
        }
    }

    NDArray logits() {
        if (logits == null) {
            throw new IllegalStateException("logits are available in afterStep, after the forward pass");
        }
        if (detached == null) {
            NDArray rows = logits.getShape().get(0) == incomingRows ? logits
                    : logits.get(new NDIndex("0:{}", incomingRows));
            detached = rows.stopGradient();
        }
        return detached;
    }
}
