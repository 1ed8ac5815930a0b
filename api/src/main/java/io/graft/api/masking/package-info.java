/**
 * Task-conditioned masks in the forward pass: per-task weight masks (PackNet), block structures that keep
 * earlier columns untouched (progressive networks), gates on hidden units learnt per task (HAT, AdaHAT).
 *
 * @since api 1.1
 */
@Export
@Version("1.0.0")
package io.graft.api.masking;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
