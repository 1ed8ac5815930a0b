/**
 * Trigger conditions decide when a structural action fires (plateau, budget, contribution, task boundary, schedule).
 */
@Export
@Version("1.1.0")
package io.graft.api.trigger;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
