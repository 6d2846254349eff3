package org.epost.post.revocation;

import java.security.KeyPair;
import java.security.PublicKey;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.block.Verification;
import org.epost.overlay.security.RevocationList;
import org.epost.overlay.time.Clock;

/**
 * How the organization's {@link RevocationList} lives in PAST: as the public-key block labelled {@value #LABEL} of the
 * organization's user CA key (the Ed25519 key PAST's public-key blocks need; the admin holds it next to
 * {@code ca.p12}), block version = list number, payload = the list's encoding. PAST keeps and returns the newest
 * version as for any public-key block, so every peer reads the newest list at one well-known key. The block signature
 * only decides who may replace the pointer; the list inside is trusted for its own signature by the organization CA
 * (checked by {@code Revocations}), so a peer needs nothing beyond {@code ca.pem} and {@code user-ca.pem}.
 */
public final class RevocationBlocks {
    public static final String LABEL = "organization/revocations";

    private RevocationBlocks() {
    }

    /** Where the lists of the organization whose user CA key is {@code userCa} are kept. */
    public static BlockKey key(PublicKey userCa) {
        return new BlockKey(PublicKeyBlock.handleFor(userCa, LABEL), BlockKind.PUBLIC_KEY);
    }

    /** {@code list} as the block to insert, signed by the user CA key pair (the admin's tool does this). */
    public static PublicKeyBlock wrap(RevocationList list, KeyPair userCa) {
        return PublicKeyBlock.sign(userCa, LABEL, list.number(), list.encode());
    }

    /**
     * {@code encoded} as a verified block at {@link #key}: anything else (another key's block, a bad signature,
     * garbage) is an {@link IllegalArgumentException} saying why.
     */
    public static Block verify(byte[] encoded, PublicKey userCa, Clock clock) {
        Verification verification = new BlockVerifier(userCa, clock, BlockLimits.DEFAULT, 0).verify(encoded, key(userCa));
        if (!verification.isValid()) {
            throw new IllegalArgumentException("not the organization's revocation block: "
                + verification.reason().orElseThrow() + " (" + verification.detail() + ")");
        }
        return verification.block();
    }

    /**
     * The list inside a verified block ({@link #verify}, or PAST's answer): its label must be {@value #LABEL} and its
     * version the list's number.
     */
    public static RevocationList unwrap(Block block) {
        if (!(block instanceof PublicKeyBlock pointer) || !LABEL.equals(pointer.label())) {
            throw new IllegalArgumentException("not a revocation block: " + block);
        }
        RevocationList list = RevocationList.decode(pointer.payload());
        if (list.number() != pointer.version()) {
            throw new IllegalArgumentException("revocation block version " + pointer.version() + " carries list "
                + list.number());
        }
        return list;
    }
}
