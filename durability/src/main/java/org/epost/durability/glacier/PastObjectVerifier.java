package org.epost.durability.glacier;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.block.Verification;

/**
 * Objects are PAST blocks: valid when PAST's verifier accepts the bytes as the block of that handle and kind. A
 * public-key block (a mutable head) is archived per version under {@link HeadVersions#archiveHandle}: valid only as
 * the owner's signed block of exactly the head and version that handle is derived from.
 */
public final class PastObjectVerifier implements ObjectVerifier {
    private final BlockVerifier verifier;

    public PastObjectVerifier(BlockVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public boolean verify(Id handle, int kindCode, byte[] object) {
        if (kindCode == BlockKind.PUBLIC_KEY.code()) {
            return HeadVersions.claimedBy(object)
                .filter(claim -> HeadVersions.archiveHandle(claim.head(), claim.version()).equals(handle))
                .map(claim -> {
                    Verification verification = verifier.verify(object, new BlockKey(claim.head(), BlockKind.PUBLIC_KEY));
                    return verification.isValid()
                        && ((PublicKeyBlock) verification.block()).version() == claim.version();
                })
                .orElse(false);
        }
        return BlockKind.fromCode(kindCode)
            .map(kind -> verifier.verify(object, new BlockKey(handle, kind)).isValid())
            .orElse(false);
    }
}
