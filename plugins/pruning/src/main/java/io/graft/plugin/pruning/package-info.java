/**
 * Unstructured pruning plugins: {@code magnitude} (per layer or global, reached gradually), {@code lottery}
 * (iterative magnitude pruning with rewinding) and {@code gradient} (first-order Taylor importance). Each answers
 * the kernel with 0/1 masks over the weight matrices; biases are never pruned.
 */
package io.graft.plugin.pruning;
