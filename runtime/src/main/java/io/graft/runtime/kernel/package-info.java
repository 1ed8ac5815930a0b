/**
 * The training kernel: {@link io.graft.runtime.kernel.TrainingKernel} runs a scenario's tasks on the host
 * network ({@link io.graft.runtime.kernel.Host}: the perceptron {@link io.graft.runtime.kernel.MlpHost} or the
 * convolutional {@link io.graft.runtime.kernel.ConvHost}, parameters held by Graft) with Graft's own optimizer
 * ({@link io.graft.runtime.kernel.Sgd}), calls the run's plugins at documented hook points and reports to
 * {@link io.graft.runtime.kernel.KernelListener}s. It depends on DJL and the graft api only, never on Felix.
 */
package io.graft.runtime.kernel;
