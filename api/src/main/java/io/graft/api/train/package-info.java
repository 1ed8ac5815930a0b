/**
 * The training state a plugin sees at each hook: the run, the current task and its data, the
 * current step.
 */
@Export
@Version("1.1.0")
package io.graft.api.train;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
