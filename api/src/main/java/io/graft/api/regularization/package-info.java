/**
 * Regularizers add a penalty to the loss (EWC, SI, MAS, LwF, HAT's mask sparsity).
 */
@Export
@Version("1.0.0")
package io.graft.api.regularization;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
