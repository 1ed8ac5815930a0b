/**
 * Continual-learning metrics: the {@link io.graft.runtime.metrics.AccuracyMatrix}, its summary numbers
 * ({@link io.graft.runtime.metrics.ContinualMetrics}) and the JSON-lines event log
 * ({@link io.graft.runtime.metrics.MetricsJsonlWriter}).
 */
package io.graft.runtime.metrics;
