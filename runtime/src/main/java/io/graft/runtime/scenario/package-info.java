/**
 * Data and tasks: reading MNIST-family IDX files ({@link io.graft.runtime.scenario.IdxFile},
 * {@link io.graft.runtime.scenario.ImageData}), cutting them into split or permuted tasks
 * ({@link io.graft.runtime.scenario.Scenarios}) and gathering batches fast
 * ({@link io.graft.runtime.scenario.SampleSet}).
 */
package io.graft.runtime.scenario;
