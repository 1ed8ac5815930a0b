/**
 * Gradient transforms change gradients between backward and the optimizer step (GEM, A-GEM,
 * HAT and PackNet masks, gradient isolation).
 */
@Export
@Version("1.0.0")
package io.graft.api.gradient;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
