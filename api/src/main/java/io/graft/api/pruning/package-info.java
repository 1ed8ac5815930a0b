/**
 * Pruners remove capacity, as masks the host enforces (magnitude, gradient importance, lottery ticket, PackNet).
 */
@Export
@Version("1.0.0")
package io.graft.api.pruning;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
