/**
 * Throughput benchmark of the kernel against a plain DJL training loop in the same JVM
 * ({@link io.graft.runtime.bench.KernelBenchmark}).
 */
package io.graft.runtime.bench;
