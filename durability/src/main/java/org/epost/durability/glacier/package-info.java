/**
 * Glacier as an overlay application: archiving objects as erasure-coded fragments, audits between mirror ranges,
 * regeneration, and recovery into PAST. {@link org.epost.durability.glacier.Glacier} is the node's face.
 */
package org.epost.durability.glacier;
