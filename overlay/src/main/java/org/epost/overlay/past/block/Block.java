package org.epost.overlay.past.block;

import org.epost.overlay.id.Id;

/**
 * A PAST block in its canonical encoding. Instances come either from the factories of the concrete kinds (which
 * produce valid blocks by construction) or from {@link BlockVerifier} (which checked them); nothing else can build
 * one, so holding a {@code Block} means holding a block that verified against its handle.
 */
public sealed interface Block permits ContentHashBlock, PublicKeyBlock, CertificateBlock {

    Id handle();

    BlockKind kind();

    default BlockKey key() {
        return new BlockKey(handle(), kind());
    }

    /**
     * The canonical bytes: exactly what is stored, sent and verified. Decoding accepts only these bytes (any other
     * encoding of the same fields is rejected), so verification always covers the exact stored bytes. A copy.
     */
    byte[] encoded();

    /** Length of {@link #encoded()} without copying it. */
    int encodedLength();
}
