/**
 * Growth: policies that add capacity (seeds in slots, Net2Net widening, identity insertion,
 * branches, PNN columns) and the blend schedules that fade new capacity in.
 */
@Export
@Version("1.2.0")
package io.graft.api.growth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
