package org.epost.durability.glacier;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.BlockVerifier;

/** Objects are PAST blocks: valid when PAST's verifier accepts the bytes as the block of that handle and kind. */
public final class PastObjectVerifier implements ObjectVerifier {
    private final BlockVerifier verifier;

    public PastObjectVerifier(BlockVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public boolean verify(Id handle, int kindCode, byte[] object) {
        return BlockKind.fromCode(kindCode)
            .map(kind -> verifier.verify(object, new BlockKey(handle, kind)).isValid())
            .orElse(false);
    }
}
