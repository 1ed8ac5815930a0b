package io.graft.runtime.cli;

import io.graft.api.Protocol;
import io.graft.api.model.TaskInfo;
import io.graft.runtime.kernel.KernelListener;
import io.graft.runtime.kernel.RunInfo;
import io.graft.runtime.kernel.RunResult;
import io.graft.runtime.kernel.StepReport;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows training progress. On a terminal a bar redrawn in place at most ten times a second:
 * {@code task 2/5 [########------] 57% loss 0.312 24,180 samples/s eta 3s}; elsewhere (a pipe, a CI log)
 * nothing in between. Either way a line per task with, for each protocol, the accuracy on the tasks seen so far.
 */
public final class ProgressBar implements KernelListener {

    private static final int WIDTH = 28;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean live;
    private int tasks;
    private long lastDraw;
    private long taskStart;
    private long taskSamples;
    private double smoothedLoss = Double.NaN;
    private final StringBuilder evaluations = new StringBuilder();

    /**
     * @param out where to draw (stderr, so that stdout stays clean for data)
     * @param live whether {@code out} is a terminal that understands carriage returns
     */
    public ProgressBar(PrintStream out, boolean live) {
        this.out = out;
        this.live = live;
    }

    @Override
    public void onRunStart(RunInfo run) {
        tasks = run.tasks().size();
        out.printf(Locale.ROOT, "graft: %d tasks, %d parameters on %s, plugins: %s%n", tasks, run.parameterCount(),
                run.device(), run.plugins().isEmpty() ? "none (fine-tuning)" : String.join(", ", run.plugins()));
    }

    @Override
    public void onTaskStart(TaskInfo task) {
        taskStart = System.nanoTime();
        taskSamples = 0;
        smoothedLoss = Double.NaN;
    }

    @Override
    public void onStep(StepReport step) {
        taskSamples += step.samples();
        if (Double.isFinite(step.loss())) {
            smoothedLoss = Double.isNaN(smoothedLoss) ? step.loss() : 0.95 * smoothedLoss + 0.05 * step.loss();
        }
        long now = System.nanoTime();
        boolean last = step.stepInTask() + 1 == step.stepsInTask();
        if (!live || (now - lastDraw < REDRAW_NANOS && !last)) {
            return;
        }
        lastDraw = now;
        double done = (step.stepInTask() + 1) / (double) step.stepsInTask();
        double seconds = (now - taskStart) / 1e9;
        double rate = seconds > 0 ? taskSamples / seconds : 0;
        double eta = done > 0 ? seconds * (1 - done) / done : 0;
        int filled = (int) Math.round(done * WIDTH);
        out.printf(Locale.ROOT, "\rtask %d/%d [%s%s] %3.0f%% loss %.3f %,.0f samples/s eta %.0fs   ",
                step.task() + 1, tasks, "#".repeat(filled), "-".repeat(WIDTH - filled), done * 100, smoothedLoss,
                rate, eta);
        out.flush();
    }

    @Override
    public void onEvaluation(int afterTask, Protocol protocol, double[] accuracies) {
        if (afterTask < 0) {
            return;
        }
        StringBuilder seen = new StringBuilder();
        double sum = 0;
        for (int j = 0; j <= afterTask; j++) {
            seen.append(String.format(Locale.ROOT, j == 0 ? "%.3f" : " %.3f", accuracies[j]));
            sum += accuracies[j];
        }
        evaluations.append(String.format(Locale.ROOT, "; %s mean %.4f [%s]", protocol.key(), sum / (afterTask + 1),
                seen));
    }

    @Override
    public void onTaskEnd(TaskInfo task, double seconds) {
        if (live) {
            out.print("\r" + " ".repeat(WIDTH + 60) + "\r");
        }
        out.printf(Locale.ROOT, "task %d/%d done in %.1fs%s%n", task.index() + 1, tasks, seconds, evaluations);
        evaluations.setLength(0);
    }

    @Override
    public void onRunEnd(RunResult result) {
        StringBuilder line = new StringBuilder();
        for (Protocol p : result.accuracy().keySet()) {
            line.append(String.format(Locale.ROOT, "%s %.4f  ", p.key(), result.metrics(p).averageAccuracy()));
        }
        out.printf(Locale.ROOT, "graft: average accuracy %s(%,.0f samples/s, %.1fs)%n", line,
                result.trainSamplesPerSecond(), result.wallSeconds());
    }

    @Override
    public void onRunFailed(Throwable failure) {
        if (live) {
            out.println();
        }
    }
}
