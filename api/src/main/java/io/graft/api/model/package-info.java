/**
 * The views of the network and its data that the host hands to plugins: parameters, gradients,
 * batches, tasks.
 */
@Export
@Version("1.1.0")
package io.graft.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
