/**
 * Erasure coding for Glacier: {@link org.epost.durability.erasure.ErasureCodec} and its Reed-Solomon implementation.
 * Fragment placement, audits and recovery build on it (the durability issue).
 */
package org.epost.durability.erasure;
