/**
 * Data and tasks: reading MNIST-family IDX files ({@link io.graft.runtime.scenario.IdxFile},
 * {@link io.graft.runtime.scenario.ImageData}), cutting them into split, permuted or rotated tasks and
 * ordering them ({@link io.graft.runtime.scenario.Scenarios}), measuring each task's difficulty
 * ({@link io.graft.runtime.scenario.TaskDifficulty}) and gathering batches fast through each task's
 * precomputed input transform ({@link io.graft.runtime.scenario.SamplingMap},
 * {@link io.graft.runtime.scenario.SampleSet}).
 */
package io.graft.runtime.scenario;
