/**
 * Graft inside another application, without the command line: {@link io.graft.runtime.embed.Graft} starts the
 * plugin host over an installation once, and runs experiments on it, config in, results and events out.
 *
 * <pre>{@code
 * try (Graft graft = Graft.builder().home(Path.of("/opt/graft")).start()) {
 *     Outcome outcome = graft.experiment(Path.of("my-run.yaml"))
 *             .set("train.epochs", "2")
 *             .out(Path.of("runs/my-run"))
 *             .listener(new KernelListener() {
 *                 public void onTaskEnd(TaskInfo task, double seconds) { log(task.name() + " done"); }
 *             })
 *             .run();
 *     double acc = outcome.result().metrics(Protocol.CLASS_IL).averageAccuracy();
 * }
 * }</pre>
 * Failures a user can fix (a bad config, a plugin that fails) arrive as {@link io.graft.runtime.UserException}
 * with a one-line message and the exit code the command line would use; what was written so far stays on disk.
 */
package io.graft.runtime.embed;
