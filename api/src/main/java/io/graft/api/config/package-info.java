/**
 * Typed, validated plugin configuration: a plugin declares its keys, the host binds the user's
 * values to them before training starts and refuses unknown keys or wrong types with one clear line.
 */
@Export
@Version("1.0.0")
package io.graft.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
