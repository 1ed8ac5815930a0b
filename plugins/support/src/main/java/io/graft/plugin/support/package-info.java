/**
 * Helpers shared by the Graft algorithm plugins. Not a bundle of its own and not exported: every plugin that
 * uses these classes gets a private copy of them inside its jar (bnd {@code -conditionalpackage}), so plugins
 * stay self-contained and never depend on one another at run time.
 */
package io.graft.plugin.support;
