/**
 * Rehearsal mixes remembered or generated samples into training (experience replay, DER, generative replay).
 */
@Export
@Version("1.0.0")
package io.graft.api.rehearsal;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
